package dev.nano.ext.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The encodings of the Encoding Standard (§4.2 "Names and labels"), their labels, and their
 * decoders. One table per process: JS asks for an encoding by label through
 * {@link WebOps#encodingId} and then refers to it by id. The legacy decoders' index tables are
 * built on first use (LegacyIndexes, SingleByteDecoder), so a process that never decodes Big5 never
 * builds index Big5.
 */
final class Encodings {
    /** {@link #lookup} answers for a label that names no encoding. */
    static final int UNKNOWN = -1;
    /** ... for a label of the "replacement" encoding, which TextDecoder rejects (§7.2 step 2). */
    static final int REPLACEMENT = -2;

    private static final List<String> NAMES = new ArrayList<>();
    private static final List<StreamDecoder> DECODERS = new ArrayList<>();
    private static final Map<String, Integer> BY_LABEL = new HashMap<>();

    static {
        // Generated from the standard's encodings.json: name, then its labels.
        // The Encoding
        add("UTF-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8");
        // Legacy single-byte encodings
        add("IBM866", "866 cp866 csibm866 ibm866");
        add("ISO-8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2");
        add("ISO-8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3");
        add("ISO-8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4");
        add("ISO-8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988");
        add("ISO-8859-6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987");
        add("ISO-8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek");
        add("ISO-8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual");
        add("ISO-8859-8-I", "csiso88598i iso-8859-8-i logical");
        add("ISO-8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6");
        add("ISO-8859-13", "iso-8859-13 iso8859-13 iso885913");
        add("ISO-8859-14", "iso-8859-14 iso8859-14 iso885914");
        add("ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9");
        add("ISO-8859-16", "iso-8859-16");
        add("KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r");
        add("KOI8-U", "koi8-ru koi8-u");
        add("macintosh", "csmacintosh mac macintosh x-mac-roman");
        add("windows-874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874");
        add("windows-1250", "cp1250 windows-1250 x-cp1250");
        add("windows-1251", "cp1251 windows-1251 x-cp1251");
        add("windows-1252", "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252");
        add("windows-1253", "cp1253 windows-1253 x-cp1253");
        add("windows-1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254");
        add("windows-1255", "cp1255 windows-1255 x-cp1255");
        add("windows-1256", "cp1256 windows-1256 x-cp1256");
        add("windows-1257", "cp1257 windows-1257 x-cp1257");
        add("windows-1258", "cp1258 windows-1258 x-cp1258");
        add("x-mac-cyrillic", "x-mac-cyrillic x-mac-ukrainian");
        // Legacy multi-byte Chinese (simplified) encodings
        add("GBK", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk");
        add("gb18030", "gb18030");
        // Legacy multi-byte Chinese (traditional) encodings
        add("Big5", "big5 big5-hkscs cn-big5 csbig5 x-x-big5");
        // Legacy multi-byte Japanese encodings
        add("EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp");
        add("ISO-2022-JP", "csiso2022jp iso-2022-jp");
        add("Shift_JIS", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis");
        // Legacy multi-byte Korean encodings
        add("EUC-KR", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949");
        // Legacy miscellaneous encodings
        add("replacement", "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement");
        add("UTF-16BE", "unicodefffe utf-16be");
        add("UTF-16LE", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le");
        add("x-user-defined", "x-user-defined");
    }

    private Encodings() {}

    private static void add(String name, String labels) {
        int id = NAMES.size();
        NAMES.add(name);
        DECODERS.add(decoderFor(name));
        for (String label : labels.split(" ")) {
            BY_LABEL.put(label, id);
        }
    }

    private static StreamDecoder decoderFor(String name) {
        return switch (name) {
            case "UTF-8" -> new Utf8Decoder();
            case "GBK", "gb18030" -> new Gb18030Decoder(); // GBK's decoder is gb18030's (§10.1.1)
            case "Big5" -> new Big5Decoder();
            case "EUC-JP" -> new EucJpDecoder();
            case "ISO-2022-JP" -> new Iso2022JpDecoder();
            case "Shift_JIS" -> new ShiftJisDecoder();
            case "EUC-KR" -> new EucKrDecoder();
            case "replacement" -> new ReplacementDecoder();
            case "UTF-16LE" -> new Utf16Decoder(false);
            case "UTF-16BE" -> new Utf16Decoder(true);
            case "x-user-defined" -> new XUserDefinedDecoder();
            default -> new SingleByteDecoder(name); // the 28 legacy single-byte encodings (§9)
        };
    }

    /**
     * §4.2 "get an encoding": the id of the encoding {@code label} names (leading and trailing ASCII
     * whitespace removed, ASCII case-insensitive), or one of the negative constants above.
     */
    static int lookup(String label) {
        int start = 0;
        int end = label.length();
        while (start < end && isAsciiWhitespace(label.charAt(start))) {
            start++;
        }
        while (end > start && isAsciiWhitespace(label.charAt(end - 1))) {
            end--;
        }
        // No label is longer than 19 characters; this also keeps huge strings out of the map lookup.
        if (end - start > 32) {
            return UNKNOWN;
        }
        Integer id = BY_LABEL.get(asciiLowerCase(label.substring(start, end)));
        if (id == null) {
            return UNKNOWN;
        }
        return NAMES.get(id).equals("replacement") ? REPLACEMENT : id;
    }

    /** The encoding's name (as in the standard, e.g. "UTF-8", "Shift_JIS"). */
    static String name(int id) {
        return NAMES.get(id);
    }

    static StreamDecoder decoder(int id) {
        return DECODERS.get(id);
    }

    // Infra: ASCII whitespace is TAB, LF, FF, CR and SPACE (not VT, not NBSP).
    private static boolean isAsciiWhitespace(char c) {
        return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
    }

    // Only A-Z: String.toLowerCase would also map e.g. KELVIN SIGN to 'k' and make "\u212Aoi8-r" a label.
    private static String asciiLowerCase(String s) {
        char[] chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }
}
