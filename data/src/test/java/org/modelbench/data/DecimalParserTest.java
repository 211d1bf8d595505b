package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte parser gives exactly {@link Float#parseFloat}'s float on every path (NaN where that is not finite),
 * and NaN for what is not a plain decimal.
 */
class DecimalParserTest {

    private static void same(String text) {
        byte[] bytes = ("#" + text + "#").getBytes(StandardCharsets.ISO_8859_1);
        float parsed = Float.parseFloat(text);
        float expected = Float.isFinite(parsed) ? parsed : Float.NaN;
        float actual = DecimalParser.parse(bytes, 1, bytes.length - 1);
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> text + ": expected " + expected + " got " + actual);
    }

    @Test
    void trickyValuesRoundExactlyLikeParseFloat() {
        List<String> tricky = new ArrayList<>(List.of("0", "-0", "+0", "0.0", "-0.000", "1", "-1", "255", ".5", "5.",
                "-.5", "007", "1e10", "1E-10", "1e+3", "3.4028235e38", "3.4028236e38", "1.17549435e-38",
                "1.1754942e-38", "1.4e-45", "7e-46", "16777216", "16777217", "16777218", "16777219", "33554433",
                "0.1", "0.2", "0.3", "2.7182818284590452354", "3.14159265358979323846", "1.00000017881393432617187499",
                "1.000000178813934326171875", "1.00000017881393432617187501", "9999999", "99999999", "0.9999999",
                "123456789012345678901234567890", "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "8.589973e9",
                "8.589974e9", "0.000000000000000000000000000000000000011754943508222875"));
        // the halfway points between neighbouring floats, and one ulp of a double either side
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 2000; i++) {
            float f = Float.intBitsToFloat(random.nextInt(0x7f000000));
            BigDecimal half = new BigDecimal(f).add(new BigDecimal(Math.nextUp(f))).divide(BigDecimal.valueOf(2));
            tricky.add(half.toString());
            tricky.add(half.round(new java.math.MathContext(9)).toString());
            tricky.add(half.round(new java.math.MathContext(15)).toString());
            tricky.add(Double.toString(Math.nextUp(half.doubleValue())));
            tricky.add(Double.toString(Math.nextDown(half.doubleValue())));
        }
        tricky.forEach(DecimalParserTest::same);
    }

    @Test
    void randomDecimalsOfEveryLengthAndScale() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            int digits = 1 + random.nextInt(18);
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int d = 0; d < digits; d++) {
                text.append((char) ('0' + random.nextInt(10)));
            }
            int point = random.nextInt(digits + 1);
            if (point < digits) {
                text.insert(text.length() - digits + point, '.');
            }
            if (random.nextInt(4) == 0) {
                text.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(61) - 30);
            }
            same(text.toString());
        }
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt(0x7f800000));
            same(Float.toString(f));
            same(Float.toString(-f));
        }
    }

    @Test
    void whatIsNotAPlainDecimalIsNaN() {
        for (String text : List.of("", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x10", "1f",
                "1d", "Infinity", "NaN", "NA", "1e39", "-1e39", "--1", "1-", "١")) {
            assertEquals(Float.NaN, DecimalParser.parse(text), text);
        }
    }
}
