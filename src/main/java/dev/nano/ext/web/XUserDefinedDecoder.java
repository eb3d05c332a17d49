package dev.nano.ext.web;

/** The x-user-defined decoder (Encoding Standard §14.5.1): bytes 0x80-0xFF map to U+F780-U+F7FF. */
final class XUserDefinedDecoder implements StreamDecoder {
    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        char[] out = new char[len];
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xFF;
            out[i] = (char) (b < 0x80 ? b : 0xF780 + b - 0x80);
        }
        state.value = 0;
        return new String(out);
    }
}
