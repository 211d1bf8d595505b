package org.modelbench.tribuo.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.protos.core.ModelProto;

/**
 * Pins the wall-clock timestamps that Tribuo writes into a model's provenance (each tree of a
 * forest has its own), so that identical trainings give byte-identical model files; when a trial
 * ran is recorded in the results bundle instead.
 *
 * <p>The timestamps are strings at any depth of the protobuf, inside {@code Any}-packed members,
 * and their length varies from run to run ({@code 17:20:26.123456789Z} but {@code 17:20:26.123456Z}
 * when the last three digits are zero). So the rewrite walks the wire format (every
 * length-delimited value is either text, rewritten, or a nested message, walked) and re-encodes
 * every length: each timestamp becomes {@value #EPOCH} (with {@code Z} when it had a zone).
 */
final class ProvenanceTimestamps {
    /** What every timestamp becomes (plus {@code Z} for one with a zone or offset). */
    static final String EPOCH = "1970-01-01T00:00:00";
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}(:\\d{2})?)?(\\[[^\\]\\s]{1,64}])?");

    private ProvenanceTimestamps() {
    }

    /** {@code proto} with every provenance timestamp pinned. */
    static ModelProto pin(ModelProto proto) {
        return rewrite(proto, m -> m.group(2) != null ? EPOCH + "Z" : EPOCH);
    }

    /** {@code proto} with every timestamp replaced by {@code replacement} of its match (lengths re-encoded). */
    static ModelProto rewrite(ModelProto proto, Function<MatchResult, String> replacement) {
        try {
            return ModelProto.parseFrom(pinMessage(proto.toByteString(), replacement));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("rewriting provenance timestamps broke the model protobuf", e);
        }
    }

    private static ByteString pinMessage(ByteString message, Function<MatchResult, String> replacement)
            throws InvalidProtocolBufferException {
        UnknownFieldSet fields = UnknownFieldSet.parseFrom(message);
        UnknownFieldSet.Builder out = UnknownFieldSet.newBuilder();
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : fields.asMap().entrySet()) {
            UnknownFieldSet.Field field = e.getValue();
            if (field.getLengthDelimitedList().isEmpty()) {
                out.addField(e.getKey(), field);
                continue;
            }
            UnknownFieldSet.Field.Builder pinned = UnknownFieldSet.Field.newBuilder();
            field.getVarintList().forEach(pinned::addVarint);
            field.getFixed32List().forEach(pinned::addFixed32);
            field.getFixed64List().forEach(pinned::addFixed64);
            field.getGroupList().forEach(pinned::addGroup);
            for (ByteString value : field.getLengthDelimitedList()) {
                pinned.addLengthDelimited(pinValue(value, replacement));
            }
            out.addField(e.getKey(), pinned.build());
        }
        return out.build().toByteString();
    }

    /** A length-delimited value: untouched without a timestamp; else rewritten as text, or walked as a message. */
    private static ByteString pinValue(ByteString value, Function<MatchResult, String> replacement)
            throws InvalidProtocolBufferException {
        String text = value.toString(StandardCharsets.ISO_8859_1);
        if (!TIMESTAMP.matcher(text).find()) {
            return value;
        }
        if (isText(text)) {
            return ByteString.copyFrom(replaceAll(text, replacement), StandardCharsets.ISO_8859_1);
        }
        try {
            return pinMessage(value, replacement);
        } catch (InvalidProtocolBufferException e) {
            // bytes that are neither readable text nor a message: rewrite the timestamps in place
            return ByteString.copyFrom(replaceAll(text, replacement), StandardCharsets.ISO_8859_1);
        }
    }

    private static String replaceAll(String text, Function<MatchResult, String> replacement) {
        return TIMESTAMP.matcher(text).replaceAll(m -> Matcher.quoteReplacement(replacement.apply(m)));
    }

    /** The timestamps in {@code text}, for tests and messages. */
    static java.util.List<String> find(String text) {
        return TIMESTAMP.matcher(text).results().map(MatchResult::group).toList();
    }

    /** No control bytes other than tab, line feed and carriage return: a string field, never a message (whose tags and lengths are). */
    private static boolean isText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
