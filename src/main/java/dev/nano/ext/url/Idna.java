package dev.nano.ext.url;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.Set;

import com.ibm.icu.text.IDNA;

/**
 * URL Standard §3.3 "domain to ASCII" with beStrict false: UTS #46 ToASCII with CheckHyphens=false,
 * CheckBidi=true, CheckJoiners=true, UseSTD3ASCIIRules=false, Transitional_Processing=false,
 * VerifyDnsLength=false, done by ICU4J.
 *
 * <p>ICU always checks hyphens and DNS lengths and reports them as errors; those two checks are off
 * in the URL Standard, so their errors are ignored here. The ICU version is chosen to match the
 * Unicode version of the IDNA data that the Web Platform Tests expect (icu4j 75 = Unicode 15.1).
 */
final class Idna {
    /** ICU's errors for checks that the URL Standard turns off (CheckHyphens, VerifyDnsLength). */
    private static final Set<IDNA.Error> IGNORED = EnumSet.of(
            IDNA.Error.LEADING_HYPHEN, IDNA.Error.TRAILING_HYPHEN, IDNA.Error.HYPHEN_3_4,
            IDNA.Error.EMPTY_LABEL, IDNA.Error.LABEL_TOO_LONG, IDNA.Error.DOMAIN_NAME_TOO_LONG);

    /** Loaded on first use: most hosts take the ASCII fast path and never need ICU's data. */
    private static final class Uts46 {
        static final IDNA INSTANCE = IDNA.getUTS46Instance(
                IDNA.NONTRANSITIONAL_TO_ASCII | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);
    }

    private Idna() {}

    /** The ASCII form of {@code domain}, or null on failure (including an empty result). */
    static String toAscii(String domain) {
        if (isPlainAscii(domain)) {
            // UTS #46 maps ASCII to itself but for upper case, and checks nothing that ASCII without
            // "xn--" labels could fail (the note to §3.3 "domain to ASCII").
            return domain.isEmpty() ? null : asciiLowercase(domain);
        }
        IDNA.Info info = new IDNA.Info();
        StringBuilder out = new StringBuilder(domain.length() + 16);
        Uts46.INSTANCE.nameToASCII(unicode151Mappings(domain), out, info);
        for (IDNA.Error error : info.getErrors()) {
            if (!IGNORED.contains(error)) {
                return null;
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** All ASCII, and no label starts with "xn--" (ASCII case-insensitive). */
    private static boolean isPlainAscii(String s) {
        boolean labelStart = true;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            if (labelStart && (c == 'x' || c == 'X') && i + 3 < n
                    && (s.charAt(i + 1) | 0x20) == 'n' && s.charAt(i + 2) == '-' && s.charAt(i + 3) == '-') {
                return false;
            }
            labelStart = c == '.';
        }
        return true;
    }

    static String asciiLowercase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = s.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 0x20;
                    }
                }
                return new String(chars);
            }
        }
        return s;
    }

    /**
     * UTS #46 15.1 changed five CJK compatibility ideographs from disallowed to mapped (to their
     * canonical decompositions); icu4j 75's data predates that. Applying the mapping first gives
     * what 15.1 specifies. Drop this with an icu4j whose UTS #46 data is 15.1 or later.
     */
    private static String unicode151Mappings(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\uD87E') { // high surrogate of U+2F800..U+2FBFF
                int cp = s.codePointAt(i);
                if (cp == 0x2F868 || cp == 0x2F874 || cp == 0x2F91F || cp == 0x2F95F || cp == 0x2F9BF) {
                    StringBuilder b = new StringBuilder(s.length());
                    for (int j = 0; j < s.length(); ) {
                        int c = s.codePointAt(j);
                        String one = new String(Character.toChars(c));
                        boolean changed = c == 0x2F868 || c == 0x2F874 || c == 0x2F91F || c == 0x2F95F || c == 0x2F9BF;
                        b.append(changed ? Normalizer.normalize(one, Normalizer.Form.NFC) : one);
                        j += Character.charCount(c);
                    }
                    return b.toString();
                }
            }
        }
        return s;
    }
}
