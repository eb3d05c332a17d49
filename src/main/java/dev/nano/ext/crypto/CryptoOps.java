package dev.nano.ext.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.graalvm.polyglot.HostAccess.Export;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.nano.engine.JsRuntime;
import dev.nano.loop.CpuAccount;

/**
 * The ops behind crypto and crypto.subtle (ext/crypto/*.js). JS does everything WebCrypto
 * specifies about arguments, algorithm normalization, usages and JWK members; these ops do the
 * cryptography on the JCA and keep the key material (a {@link KeyStore} per context).
 *
 * <p>Boundary: bytes come in as ArrayBuffers (JS passes its own copies) and go out as heap
 * {@link ByteBuffer}s; keys are integer handles. A failed op returns null (or -1) and leaves the
 * DOMException name and message in {@link #errorName()} / {@link #errorMessage()}.
 *
 * <p>Heavy work (RSA key generation, PBKDF2 with many iterations) runs on a worker thread: the op
 * takes a job id and returns at once, and the result is posted back to the context's event loop,
 * which calls the one completion function JS registered at bootstrap ({@link #setCompletion}).
 */
public final class CryptoOps {
    static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger WORKER_IDS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), task -> {
                Thread t = new Thread(task, "nano-crypto-" + WORKER_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    /** PBKDF2 runs inline below this many HMAC computations (a millisecond or so). */
    private static final long PBKDF2_INLINE_LIMIT = 2_000;
    private static final VarHandle LONG_VIEW = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final JsRuntime runtime;
    // Every script of the extension gets an ops object, but only 00_crypto.js's is used (it is
    // shared through internal.crypto.ops): the others stay this small.
    private KeyStore keyStore;
    private String errorName;
    private String errorMessage;
    private Value completion;

    public CryptoOps(JsRuntime runtime) {
        this.runtime = runtime;
    }

    /** Makes a secret key exactly {@code bits} long: the first bits of its data (HMAC import, §29.6). */
    @Export
    public void truncateSecret(int handle, int bits) {
        byte[] key = secret(handle);
        byte[] out = Arrays.copyOf(key, (bits + 7) / 8);
        if (bits % 8 != 0) {
            out[out.length - 1] &= (byte) (0xff << (8 - bits % 8));
        }
        keys().replace(handle, new KeyData.Secret(out));
    }

    private KeyStore keys() {
        return keyStore != null ? keyStore : (keyStore = new KeyStore());
    }

    /** Number of live key handles (for tests: released handles are gone). */
    public int keyCount() {
        return keyStore == null ? 0 : keyStore.size();
    }

    // --- plumbing ---

    /** The JS function called as {@code complete(job, result, errorName, errorMessage)}; set once. */
    @Export
    public void setCompletion(Value completion) {
        this.completion = completion;
    }

    @Export
    public String errorName() {
        return errorName;
    }

    @Export
    public String errorMessage() {
        return errorMessage;
    }

    private <T> T run(Supplier<T> op) {
        try {
            return op.get();
        } catch (CryptoException e) {
            errorName = e.name();
            errorMessage = e.getMessage();
        } catch (RuntimeException e) {
            errorName = "OperationError";
            errorMessage = "The operation failed: " + e;
        }
        return null;
    }

    private static byte[] bytes(Value buffer) {
        if (buffer == null || buffer.isNull()) {
            return null;
        }
        int length = (int) buffer.getBufferSize();
        byte[] out = new byte[length];
        if (length > 0) {
            buffer.readBuffer(0, out, 0, length);
        }
        return out;
    }

    /** An unsigned long from JS, as an int (larger values fail in the JCA just as they should). */
    private static int clamp(double value) {
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return bytes == null ? null : ByteBuffer.wrap(bytes);
    }

    private byte[] secret(int handle) {
        return keys().get(handle, KeyData.Secret.class).bytes();
    }

    /** Runs {@code work} on a worker thread and completes {@code job} on the loop with its result. */
    private void submit(int job, Supplier<Object> work) {
        CpuAccount account = runtime.account();
        runtime.loop().ref();
        WORKERS.execute(() -> {
            Object result;
            CryptoException failure = null;
            try {
                result = work.get();
            } catch (CryptoException e) {
                result = null;
                failure = e;
            } catch (RuntimeException e) {
                result = null;
                failure = CryptoException.operation("The operation failed: " + e);
            }
            Object value = result;
            CryptoException error = failure;
            runtime.loop().execute(() -> complete(account, job, value, error));
            runtime.loop().unref();
        });
    }

    private void complete(CpuAccount account, int job, Object result, CryptoException error) {
        if (runtime.loop().isStopped()) {
            return;
        }
        Object value = result;
        if (result instanceof KeyData[] pair) { // a generated key pair: public handle, private = public + 1
            value = keys().put(pair[0]);
            keys().put(pair[1]);
        } else if (result instanceof byte[] b) {
            value = ByteBuffer.wrap(b);
        }
        Object out = value;
        try {
            runtime.runTask(account, () -> completion.executeVoid(job, out, error == null ? null : error.name(),
                    error == null ? null : error.getMessage()));
        } catch (PolyglotException | IllegalStateException e) {
            // the context was closed while the job ran: nobody is waiting for the result
        }
    }

    // --- Crypto (§10): random values ---

    @Export
    public ByteBuffer randomBytes(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return ByteBuffer.wrap(out);
    }

    @Export
    public String randomUUID() {
        return UUID.randomUUID().toString(); // version 4 from a SecureRandom, lowercase hex
    }

    /** Workers' crypto.subtle.timingSafeEqual: equal-length buffers compared in constant time. */
    @Export
    public boolean timingSafeEqual(Value a, Value b) {
        return java.security.MessageDigest.isEqual(bytes(a), bytes(b));
    }

    @Export
    public ByteBuffer digest(String hash, Value data) {
        return run(() -> wrap(Digest.of(hash).digest(bytes(data))));
    }

    /**
     * digest()'s common case: hashes {@code length} bytes of the ArrayBuffer {@code buffer} from
     * {@code offset} and writes the digest into {@code out}, a new ArrayBuffer of the digest's length.
     * JS then needs no copy of the data (the hash is taken before any other JS runs) and no copy of
     * the result out of a Java buffer.
     */
    @Export
    public void digestInto(String hash, Value buffer, int offset, int length, Value out) {
        Digest digest = Digest.of(hash);
        byte[] data = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, data, 0, length);
        }
        byte[] result = digest.digest(data);
        int i = 0;
        for (; i + 8 <= result.length; i += 8) {
            out.writeBufferLong(ByteOrder.BIG_ENDIAN, i, (long) LONG_VIEW.get(result, i));
        }
        for (; i < result.length; i++) {
            out.writeBufferByte(i, result[i]);
        }
    }

    // --- key handles ---

    /** Forgets a key whose CryptoKey was collected. */
    @Export
    public void release(int handle) {
        keys().release(handle);
    }

    /** A second handle on the same (immutable) key material, for a structured clone. */
    @Export
    public int duplicate(int handle) {
        return keys().put(keys().get(handle));
    }

    @Export
    public String keyType(int handle) {
        return keys().get(handle).type();
    }

    /** Length in bits: of a secret key, or of an RSA modulus. */
    @Export
    public int keyBits(int handle) {
        return switch (keys().get(handle)) {
            case KeyData.Secret s -> s.bytes().length * 8;
            case RsaKey k -> k.modulus().bitLength();
            default -> 0;
        };
    }

    @Export
    public ByteBuffer rsaPublicExponent(int handle) {
        return wrap(KeyFormats.unsigned(keys().get(handle, RsaKey.class).publicExponent()));
    }

    // --- generateKey (§14.3.6) ---

    /** A random secret of {@code bits} (the unused low bits of the last octet are zero). */
    @Export
    public int generateSecret(int bits) {
        byte[] key = new byte[(bits + 7) / 8];
        RANDOM.nextBytes(key);
        if (bits % 8 != 0) {
            key[key.length - 1] &= (byte) (0xff << (8 - bits % 8));
        }
        return keys().put(new KeyData.Secret(key));
    }

    /** EC or OKP key pair: returns the public key's handle; the private key's is one more. */
    @Export
    public Integer generatePair(String family, String curve) {
        return run(() -> {
            KeyData[] pair = family.equals("EC") ? Ec.generate(Ec.Curve.of(curve)) : Okp.generate(Okp.Kind.of(family));
            int publicHandle = keys().put(pair[0]);
            keys().put(pair[1]);
            return publicHandle;
        });
    }

    /** Whether the JCA can generate an RSA key of these parameters (else an OperationError is left). */
    @Export
    public boolean rsaCheck(int bits, Value exponent) {
        return run(() -> Rsa.check(bits, bytes(exponent))) != null;
    }

    /** RSA key pair on a worker: completes {@code job} with the public handle (private = public + 1). */
    @Export
    public void generateRsa(int job, int bits, Value exponent) {
        byte[] e = bytes(exponent);
        submit(job, () -> Rsa.generate(bits, e));
    }

    // --- importKey / exportKey (§14.3.9, §14.3.10) ---

    /** Imports raw, spki or pkcs8 bytes (format codes in {@link KeyFormats}); returns the handle. */
    @Export
    public Integer importKey(String family, String curve, int format, Value data) {
        return run(() -> keys().put(KeyFormats.importBinary(family, curve, format, bytes(data))));
    }

    @Export
    public Integer importSecretJwk(String k) {
        return run(() -> keys().put(new KeyData.Secret(KeyFormats.fromBase64Url(k))));
    }

    @Export
    public Integer importRsaJwk(String n, String e, String d, String p, String q, String dp, String dq, String qi) {
        return run(() -> keys().put(Rsa.importJwk(n, e, d, p, q, dp, dq, qi)));
    }

    @Export
    public Integer importEcJwk(String curve, String x, String y, String d) {
        return run(() -> keys().put(Ec.importJwk(Ec.Curve.of(curve), x, y, d)));
    }

    @Export
    public Integer importOkpJwk(String family, String x, String d) {
        return run(() -> keys().put(Okp.importJwk(Okp.Kind.of(family), x, d)));
    }

    @Export
    public ByteBuffer exportKey(int handle, int format) {
        return run(() -> wrap(KeyFormats.exportBinary(keys().get(handle), format)));
    }

    /** The key's JWK members, base64url, joined by '.' (order per family: see KeyFormats.exportJwk). */
    @Export
    public String exportJwk(int handle) {
        return run(() -> KeyFormats.exportJwk(keys().get(handle)));
    }

    // --- sign / verify (§14.3.3, §14.3.4) ---

    @Export
    public ByteBuffer sign(String algorithm, String hash, int handle, double saltLength, Value context, Value data) {
        return run(() -> {
            byte[] d = bytes(data);
            return wrap(switch (algorithm) {
                case "HMAC" -> Hmac.sign(Digest.of(hash), secret(handle), d);
                case "RSASSA-PKCS1-v1_5", "RSA-PSS" ->
                    Rsa.sign(algorithm, Digest.of(hash), clamp(saltLength), keys().get(handle, RsaKey.class), d);
                case "ECDSA" -> Ec.sign(Digest.of(hash), keys().get(handle, EcKey.class), d);
                default -> Okp.sign(keys().get(handle, OkpKey.class), bytes(context), d);
            });
        });
    }

    /** 1 verified, 0 not verified, -1 error. */
    @Export
    public int verify(String algorithm, String hash, int handle, double saltLength, Value context, Value signature,
            Value data) {
        Boolean ok = run(() -> {
            byte[] s = bytes(signature), d = bytes(data);
            return switch (algorithm) {
                case "HMAC" -> Hmac.verify(Digest.of(hash), secret(handle), s, d);
                case "RSASSA-PKCS1-v1_5", "RSA-PSS" ->
                    Rsa.verify(algorithm, Digest.of(hash), clamp(saltLength), keys().get(handle, RsaKey.class), s, d);
                case "ECDSA" -> Ec.verify(Digest.of(hash), keys().get(handle, EcKey.class), s, d);
                default -> Okp.verify(keys().get(handle, OkpKey.class), bytes(context), s, d);
            };
        });
        return ok == null ? -1 : ok ? 1 : 0;
    }

    // --- encrypt / decrypt, wrap / unwrap (§14.3.1, §14.3.2) ---

    /**
     * {@code param} is the iv (CBC, GCM), the counter (CTR) or the label (OAEP); {@code aad} the
     * GCM additional data; {@code length} the GCM tag length or the CTR counter length.
     */
    @Export
    public ByteBuffer cipher(String algorithm, boolean encrypt, String hash, int handle, Value param, Value aad,
            int length, Value data) {
        return run(() -> {
            byte[] d = bytes(data);
            return wrap(switch (algorithm) {
                case "AES-CBC" -> Aes.cbc(encrypt, secret(handle), bytes(param), d);
                case "AES-CTR" -> Aes.ctr(secret(handle), bytes(param), length, d);
                case "AES-GCM" -> Aes.gcm(encrypt, secret(handle), bytes(param), bytes(aad), length, d);
                case "AES-KW" -> Aes.kw(encrypt, secret(handle), d);
                case "RSA-OAEP" -> Rsa.oaep(encrypt, Digest.of(hash), keys().get(handle, RsaKey.class), bytes(param), d);
                default -> throw CryptoException.notSupported("unsupported algorithm " + algorithm);
            });
        });
    }

    // --- deriveBits (§14.3.8) ---

    /** ECDH, X25519, X448: the shared secret, cut to {@code length} bits (-1: all of it). */
    @Export
    public ByteBuffer deriveShared(int privateHandle, int publicHandle, int length) {
        return run(() -> {
            KeyData priv = keys().get(privateHandle), pub = keys().get(publicHandle);
            byte[] secret;
            if (priv instanceof EcKey ecPrivate && pub instanceof EcKey ecPublic) {
                secret = Ec.sharedSecret(ecPrivate, ecPublic);
            } else if (priv instanceof OkpKey okpPrivate && pub instanceof OkpKey okpPublic) {
                secret = Okp.sharedSecret(okpPrivate, okpPublic);
            } else {
                throw CryptoException.invalidAccess("the keys are of different algorithms");
            }
            return wrap(truncate(secret, length));
        });
    }

    /** §24.4.3 step: the first {@code length} bits of {@code secret}, later bits of the last octet zero. */
    private static byte[] truncate(byte[] secret, int length) {
        if (length < 0) {
            return secret;
        }
        if (length > secret.length * 8) {
            throw CryptoException.operation("the secret has only " + secret.length * 8 + " bits");
        }
        byte[] out = Arrays.copyOf(secret, (length + 7) / 8);
        if (length % 8 != 0) {
            out[out.length - 1] &= (byte) (0xff << (8 - length % 8));
        }
        return out;
    }

    @Export
    public ByteBuffer hkdf(String hash, int handle, Value salt, Value info, int length) {
        return run(() -> wrap(Kdf.hkdf(Digest.of(hash), secret(handle), bytes(salt), bytes(info), length / 8)));
    }

    /**
     * PBKDF2 completing {@code job}: on a worker thread when it is heavy, else at once (the result
     * still goes through the loop, so JS has one path).
     */
    @Export
    public void pbkdf2(int job, String hash, int handle, Value salt, double iterations, int length) {
        Object result = null;
        CryptoException error = null;
        try {
            Digest digest = Digest.of(hash);
            byte[] password = secret(handle);
            byte[] s = bytes(salt);
            long blocks = (length / 8 + digest.length - 1) / digest.length;
            Supplier<Object> work = () -> Kdf.pbkdf2(digest, password, s, (long) iterations, length / 8);
            if (iterations * blocks > PBKDF2_INLINE_LIMIT) {
                submit(job, work);
                return;
            }
            result = work.get();
        } catch (CryptoException e) {
            error = e;
        }
        Object value = result;
        CryptoException failure = error;
        CpuAccount account = runtime.account();
        runtime.loop().execute(() -> complete(account, job, value, failure));
    }
}
