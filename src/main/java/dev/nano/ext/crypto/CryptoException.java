package dev.nano.ext.crypto;

/**
 * A failed crypto operation, named as the DOMException that WebCrypto rejects the promise with
 * (WebCrypto §14.3: DataError, OperationError, NotSupportedError, InvalidAccessError, SyntaxError).
 * JS turns the name and message into an {@code internal.DOMException}.
 */
final class CryptoException extends RuntimeException {
    private final String name;

    CryptoException(String name, String message) {
        super(message, null, false, false);
        this.name = name;
    }

    String name() {
        return name;
    }

    static CryptoException data(String message) {
        return new CryptoException("DataError", message);
    }

    static CryptoException operation(String message) {
        return new CryptoException("OperationError", message);
    }

    static CryptoException notSupported(String message) {
        return new CryptoException("NotSupportedError", message);
    }

    static CryptoException invalidAccess(String message) {
        return new CryptoException("InvalidAccessError", message);
    }
}
