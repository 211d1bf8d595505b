package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A small report document (headings, paragraphs, tables, images) rendered as Markdown or HTML. */
final class Document {
    private final List<Object> blocks = new ArrayList<>();
    private final String title;

    /** A section heading: level 2, or 3 for a subsection. */
    record Heading(String text, int level) {
    }

    record Paragraph(String text) {
    }

    record Table(String id, List<String> header, List<List<String>> rows) {
    }

    /** A PNG, linked by {@code file} in Markdown and embedded in HTML. */
    record Image(String alt, String file, byte[] png) {
    }

    Document(String title) {
        this.title = title;
    }

    Document heading(String text) {
        blocks.add(new Heading(text, 2));
        return this;
    }

    Document subheading(String text) {
        blocks.add(new Heading(text, 3));
        return this;
    }

    Document paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    Document table(String id, List<String> header, List<List<String>> rows) {
        blocks.add(new Table(id, List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    Document image(String alt, String file, byte[] png) {
        blocks.add(new Image(alt, file, png));
        return this;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (Object block : blocks) {
            if (block instanceof Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Paragraph p) {
                sb.append(p.text()).append("\n\n");
            } else if (block instanceof Table t) {
                sb.append("| ").append(String.join(" | ", t.header())).append(" |\n");
                sb.append("|").append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    sb.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList()))
                            .append(" |\n");
                }
                sb.append('\n');
            } else if (block instanceof Image i) {
                sb.append("![").append(i.alt()).append("](").append(i.file()).append(")\n\n");
            }
        }
        return sb.toString();
    }

    String html() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1200px;"
                        + "padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:14px}\n")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}\n")
                .append("th{background:#f0f3f7}\ntr:nth-child(even) td{background:#fafafa}\n")
                .append("img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}\n")
                .append("h1{border-bottom:2px solid #446}\nh2{margin-top:1.6em;color:#335}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (Object block : blocks) {
            if (block instanceof Heading h) {
                sb.append("<h").append(h.level()).append('>').append(escape(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (block instanceof Paragraph p) {
                sb.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (block instanceof Table t) {
                sb.append("<table id=\"").append(t.id()).append("\">\n<thead><tr>");
                t.header().forEach(c -> sb.append("<th>").append(inline(c)).append("</th>"));
                sb.append("</tr></thead>\n<tbody>\n");
                for (List<String> row : t.rows()) {
                    sb.append("<tr>");
                    row.forEach(c -> sb.append("<td>").append(inline(c)).append("</td>"));
                    sb.append("</tr>\n");
                }
                sb.append("</tbody>\n</table>\n");
            } else if (block instanceof Image i) {
                sb.append("<figure><img alt=\"").append(escape(i.alt())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(i.png())).append("\"><figcaption>")
                        .append(escape(i.alt())).append("</figcaption></figure>\n");
            }
        }
        return sb.append("</body>\n</html>\n").toString();
    }

    /** HTML-escapes {@code text} and renders Markdown's {@code **bold**} and {@code `code`}. */
    private static String inline(String text) {
        return escape(text).replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>").replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
