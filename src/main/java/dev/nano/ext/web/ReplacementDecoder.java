package dev.nano.ext.web;

/**
 * The replacement decoder (Encoding Standard §14.1.1): a stream with any bytes at all decodes to one
 * U+FFFD, whatever follows. TextDecoder never gets here (its constructor rejects the encoding's
 * labels, §7.2 step 2); {@link Encodings#decoder} has it so that every encoding has its decoder.
 * State: 1 once the error has been returned.
 */
final class ReplacementDecoder implements StreamDecoder {
    @Override
    public String decode(byte[] bytes, int off, int len, State state, boolean flush, boolean fatal) {
        if (len == 0 || state.value != 0) {
            state.value = flush ? 0 : state.value;
            return "";
        }
        state.value = flush || fatal ? 0 : 1;
        return fatal ? null : "\uFFFD";
    }
}
