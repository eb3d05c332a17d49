package dev.nano.ext.crypto;

import java.util.HashMap;
import java.util.Map;

/**
 * One context's CryptoKey handles: JS holds the integer, Java the key material. A handle means
 * nothing in another context (each context has its own store), and JS releases it when its
 * CryptoKey is collected (a FinalizationRegistry in ext/crypto/01_crypto_key.js). Loop thread only.
 */
final class KeyStore {
    private final Map<Integer, KeyData> keys = new HashMap<>();
    private int next = 1;

    int put(KeyData key) {
        int handle = next++;
        keys.put(handle, key);
        return handle;
    }

    KeyData get(int handle) {
        KeyData key = keys.get(handle);
        if (key == null) {
            throw CryptoException.operation("unknown key handle");
        }
        return key;
    }

    <T extends KeyData> T get(int handle, Class<T> kind) {
        KeyData key = get(handle);
        if (!kind.isInstance(key)) {
            throw CryptoException.invalidAccess("the key is not of the algorithm's kind");
        }
        return kind.cast(key);
    }

    void replace(int handle, KeyData key) {
        keys.replace(handle, key);
    }

    void release(int handle) {
        keys.remove(handle);
    }

    int size() {
        return keys.size();
    }
}
