package dev.odestream.json;

/**
 * A strict UTF-8 check (RFC 3629), run before JSON is parsed: Jackson's byte parser decodes overlong forms (such as
 * {@code C0 AE} for {@code .}) and encoded surrogates ({@code ED A0 80}) without complaint, so text that other
 * readers see differently, or cannot read at all, would pass as well-formed. One pass, no allocation; ASCII bytes
 * cost one comparison each.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * @return {@code null} if {@code bytes} is well-formed UTF-8, otherwise what is wrong and at which byte offset
     */
    public static String problem(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int length;
            int min;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                min = lead == 0xE0 ? 0xA0 : 0x80;
                max = lead == 0xED ? 0x9F : 0xBF;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                min = lead == 0xF0 ? 0x90 : 0x80;
                max = lead == 0xF4 ? 0x8F : 0xBF;
            } else {
                return at(i, lead <= 0xBF ? "a continuation byte without a lead byte"
                        : lead <= 0xC1 ? "an overlong encoding" : "a byte that never occurs in UTF-8");
            }
            if (i + length > bytes.length) {
                return at(i, "a sequence cut short by the end of the value");
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < 0x80 || second > 0xBF) {
                return at(i, "a sequence cut short");
            }
            if (second < min) {
                return at(i, "an overlong encoding");
            }
            if (second > max) {
                return at(i, lead == 0xED ? "an encoded surrogate (U+D800..U+DFFF)" : "a code point above U+10FFFF");
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return at(i, "a sequence cut short");
                }
            }
            i += length;
        }
        return null;
    }

    private static String at(int offset, String what) {
        return "invalid UTF-8 at byte " + offset + ": " + what;
    }
}
