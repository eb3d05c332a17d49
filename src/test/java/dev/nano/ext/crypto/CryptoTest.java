package dev.nano.ext.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/**
 * crypto and crypto.subtle against published known-answer vectors (FIPS 180, RFC 4231, 5869, 6070,
 * 3394, 7748, 8032, the GCM spec's test case 3), plus the behaviour around them: error names,
 * AES-CTR counter wrap-around, structured cloning of keys, and work done off the event loop.
 */
class CryptoTest {
    private static final String HELPERS = """
            const enc = new TextEncoder();
            const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
            const unhex = (s) => Uint8Array.from(s.match(/../g) ?? [], (x) => parseInt(x, 16));
            const { subtle } = crypto;
            const fails = async (p) => { try { await p; return 'resolved'; } catch (e) { return e.name; } };
            """;

    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(HELPERS + code);
            assertEquals(List.of(), js.uncaught());
            return out;
        }
    }

    @Test
    void timingSafeEqualComparesBytesOfEqualLength() {
        // Workers' extension: a boolean, synchronously; any BufferSource; unequal lengths throw
        String out = run("""
                console.log(subtle.timingSafeEqual(enc.encode('secret'), enc.encode('secret')));
                console.log(subtle.timingSafeEqual(enc.encode('secret').buffer, new DataView(enc.encode('secreT').buffer)));
                console.log(subtle.timingSafeEqual(new Uint8Array(0), new ArrayBuffer(0)));
                try { subtle.timingSafeEqual(enc.encode('a'), enc.encode('ab')); console.log('no throw'); } catch (e) { console.log(e.name); }
                try { subtle.timingSafeEqual('a', 'a'); console.log('no throw'); } catch (e) { console.log(e.name); }
                """);
        assertEquals("true\nfalse\ntrue\nTypeError\nTypeError", out);
    }

    @Test
    void digestsMatchFips180Vectors() {
        String out = run("""
                for (const h of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) console.log(hex(await subtle.digest(h, enc.encode('abc'))));
                console.log(hex(await subtle.digest({ name: 'sha-256' }, new ArrayBuffer(0))));
                """);
        assertEquals("""
                a9993e364706816aba3e25717850c26c9cd0d89d
                ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
                cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7
                ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""", out);
    }

    @Test
    void digestHashesExactlyTheViewsBytesAsTheyWereAtTheCall() {
        // The common call reads the caller's buffer in place: the region of a view with an offset,
        // taken before the caller can change it; a DataView, a shared buffer and a non-buffer take
        // the generic steps.
        String out = run("""
                const bytes = new Uint8Array([0x78, 0x61, 0x62, 0x63, 0x78]);
                const p = subtle.digest('SHA-1', bytes.subarray(1, 4));
                bytes.fill(0);
                const d = await p;
                console.log(hex(d), d instanceof ArrayBuffer, d.byteLength);
                console.log(hex(await subtle.digest('SHA-1', new DataView(enc.encode('xabcx').buffer, 1, 3))));
                console.log(hex(await subtle.digest('SHA-1', new Uint16Array(enc.encode('abcd').buffer, 0, 1))));
                const twice = [await subtle.digest('SHA-256', bytes), await subtle.digest('SHA-256', bytes)];
                console.log(twice[0] !== twice[1], hex(twice[0]) === hex(twice[1]));
                console.log(await fails(subtle.digest('SHA-256', new Uint8Array(new SharedArrayBuffer(4)))),
                  await fails(subtle.digest('SHA-256', new SharedArrayBuffer(4))), await fails(subtle.digest('SHA-256')),
                  await fails(subtle.digest.call({}, 'SHA-256', bytes)), await fails(subtle.digest('SHA-256', [1, 2])));
                """);
        assertEquals("""
                a9993e364706816aba3e25717850c26c9cd0d89d true 20
                a9993e364706816aba3e25717850c26c9cd0d89d
                da23614e02469a0d7c7bd1bdab5c9c474b1904dc
                true true
                TypeError TypeError TypeError TypeError TypeError""", out);
    }

    @Test
    void hmacHkdfAndPbkdf2MatchRfcVectors() {
        String out = run("""
                const k = await subtle.importKey('raw', enc.encode('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
                const mac = await subtle.sign('HMAC', k, enc.encode('what do ya want for nothing?'));
                console.log(hex(mac), await subtle.verify('HMAC', k, mac, enc.encode('what do ya want for nothing?')));
                const ikm = await subtle.importKey('raw', new Uint8Array(22).fill(0x0b), 'HKDF', false, ['deriveBits']);
                console.log(hex(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: unhex('000102030405060708090a0b0c'),
                  info: unhex('f0f1f2f3f4f5f6f7f8f9') }, ikm, 42 * 8)));
                const pw = await subtle.importKey('raw', enc.encode('password'), 'PBKDF2', false, ['deriveBits']);
                for (const iterations of [1, 4096]) {
                  console.log(hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: enc.encode('salt'), iterations }, pw, 160)));
                }
                """);
        assertEquals("""
                5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843 true
                3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865
                0c60c80f961f0e71f3a9b524af6012062fe037a6
                4b007901b765489abead49d926f721d065a429c1""", out);
    }

    @Test
    void aesGcmTagsOfEveryLengthAndAesKw() {
        String out = run("""
                const key = await subtle.importKey('raw', unhex('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', false, ['encrypt', 'decrypt']);
                const iv = unhex('cafebabefacedbaddecaf888');
                const pt = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255');
                for (const tagLength of [32, 64, 96, 128]) {
                  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, tagLength }, key, pt);
                  const back = await subtle.decrypt({ name: 'AES-GCM', iv, tagLength }, key, ct);
                  const bad = new Uint8Array(ct).slice(); bad[bad.length - 1] ^= 1;
                  console.log(tagLength, hex(ct).slice(128), hex(back) === hex(pt), await fails(subtle.decrypt({ name: 'AES-GCM', iv, tagLength }, key, bad)));
                }
                console.log(await fails(subtle.encrypt({ name: 'AES-GCM', iv, tagLength: 48 }, key, pt)));
                const kek = await subtle.importKey('raw', unhex('000102030405060708090a0b0c0d0e0f'), 'AES-KW', false, ['wrapKey', 'unwrapKey']);
                const data = await subtle.importKey('raw', unhex('00112233445566778899aabbccddeeff'), 'AES-CBC', true, ['encrypt']);
                const wrapped = await subtle.wrapKey('raw', data, kek, 'AES-KW');
                const unwrapped = await subtle.unwrapKey('raw', wrapped, kek, 'AES-KW', 'AES-CBC', true, ['decrypt']);
                console.log(hex(wrapped), hex(await subtle.exportKey('raw', unwrapped)));
                """);
        assertEquals("""
                32 4d5c2af3 true OperationError
                64 4d5c2af327cd64a6 true OperationError
                96 4d5c2af327cd64a62cf35abd true OperationError
                128 4d5c2af327cd64a62cf35abd2ba6fab4 true OperationError
                OperationError
                1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5 00112233445566778899aabbccddeeff""", out);
    }

    /** The low `length` bits count and wrap; the bits above stay (WebCrypto §15.4 / SP 800-38A B.1). */
    @Test
    void aesCtrCountsOnlyTheLowLengthBits() throws Exception {
        byte[] key = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        String counter = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
        String out = run("""
                const key = await subtle.importKey('raw', unhex('2b7e151628aed2a6abf7158809cf4f3c'), 'AES-CTR', false, ['encrypt']);
                const zeros = new Uint8Array(32);
                for (const length of [4, 8, 128]) {
                  console.log(hex(await subtle.encrypt({ name: 'AES-CTR', counter: unhex('%s'), length }, key, zeros)));
                }
                console.log(await fails(subtle.encrypt({ name: 'AES-CTR', counter: unhex('%s'), length: 1 }, key, new Uint8Array(48))));
                """.formatted(counter, counter));
        // Keystream = AES(counter block), computed here with the JCA's raw block cipher.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        HexFormat hex = HexFormat.of();
        String first = hex.formatHex(ecb.doFinal(hex.parseHex(counter)));
        String wrap4 = hex.formatHex(ecb.doFinal(hex.parseHex(counter.substring(0, 30) + "f0")));
        String wrap8 = hex.formatHex(ecb.doFinal(hex.parseHex(counter.substring(0, 30) + "00")));
        String carry = hex.formatHex(ecb.doFinal(hex.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdff00")));
        assertEquals(first + wrap4 + "\n" + first + wrap8 + "\n" + first + carry + "\nOperationError", out);
    }

    @Test
    void curve25519MatchesRfc7748AndRfc8032() {
        String out = run("""
                const pkcs8 = (oid, key) => Uint8Array.from([0x30, 0x2e, 2, 1, 0, 0x30, 5, 6, 3, 0x2b, 0x65, oid, 4, 0x22, 4, 0x20, ...unhex(key)]);
                const alice = await subtle.importKey('pkcs8', pkcs8(0x6e, '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'), 'X25519', true, ['deriveBits']);
                const bob = await subtle.importKey('raw', unhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'), 'X25519', true, []);
                console.log(hex(await subtle.deriveBits({ name: 'X25519', public: bob }, alice, 256)));
                console.log((await subtle.exportKey('jwk', alice)).x === 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo');
                const ed = await subtle.importKey('pkcs8', pkcs8(0x70, '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'), 'Ed25519', true, ['sign']);
                const pub = await subtle.importKey('raw', unhex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'), 'Ed25519', true, ['verify']);
                const sig = await subtle.sign('Ed25519', ed, new Uint8Array(0));
                console.log(hex(sig), await subtle.verify('Ed25519', pub, sig, new Uint8Array(0)));
                """);
        assertEquals("""
                4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742
                true
                e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b true""",
                out);
    }

    @Test
    void errorsAreNamedAsTheSpecSays() {
        String out = run("""
                const aes = await subtle.generateKey({ name: 'AES-CBC', length: 128 }, false, ['encrypt']);
                console.log([
                  await fails(subtle.digest('MD5', new Uint8Array(1))),
                  await fails(subtle.digest({}, new Uint8Array(1))),
                  await fails(subtle.digest('SHA-256', 'not a buffer')),
                  await fails(subtle.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt'])),
                  await fails(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['sign'])),
                  await fails(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, [])),
                  await fails(subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['bogus'])),
                  await fails(subtle.importKey('raw', new Uint8Array(15), 'AES-GCM', true, ['encrypt'])),
                  await fails(subtle.importKey('jwk', { kty: 'EC' }, 'AES-GCM', true, ['encrypt'])),
                  await fails(subtle.decrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, aes, new Uint8Array(16))),
                  await fails(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, aes, new Uint8Array(16))),
                  await fails(subtle.exportKey('raw', aes)),
                  await fails(subtle.encrypt.call({}, 'AES-CBC', aes, new Uint8Array(1))),
                ].join(' '));
                try { crypto.getRandomValues(new Float32Array(1)); } catch (e) { console.log(e.name, e.code); }
                try { crypto.getRandomValues(new Uint8Array(65537)); } catch (e) { console.log(e.name, e.code, e instanceof DOMException, e.quota, e.requested); }
                console.log(crypto.getRandomValues(new Uint8Array(65536)).length, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));
                """);
        assertEquals("""
                NotSupportedError TypeError TypeError OperationError SyntaxError SyntaxError TypeError DataError DataError InvalidAccessError OperationError InvalidAccessError TypeError
                TypeMismatchError 17
                QuotaExceededError 22 true null null
                65536 true""", out);
    }

    @Test
    void keysCloneAndKeepTheirCachedSlots() {
        String out = run("""
                const { privateKey, publicKey } = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify', 'sign']);
                const copy = structuredClone(privateKey);
                const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, copy, enc.encode('m'));
                console.log(copy !== privateKey, copy.type, copy.extractable, copy.algorithm.namedCurve, copy.usages.join(),
                  privateKey.algorithm === privateKey.algorithm, privateKey.usages === privateKey.usages,
                  await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, publicKey, sig, enc.encode('m')),
                  Object.prototype.toString.call(copy), await fails(subtle.exportKey('jwk', copy)));
                privateKey.algorithm.name = 'changed';
                console.log(await fails(subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, privateKey, enc.encode('m'))));
                """);
        assertEquals("true private false P-384 sign true true true [object CryptoKey] InvalidAccessError\nresolved", out);
    }

    /** RSA generation and heavy PBKDF2 run on a worker thread: timers keep firing meanwhile. */
    @Test
    void heavyWorkDoesNotBlockTheEventLoop() {
        String out = run("""
                setTimeout(() => console.log('timer'), 0);
                const keys = subtle.generateKey({ name: 'RSA-OAEP', hash: 'SHA-256', modulusLength: 2048,
                  publicExponent: new Uint8Array([1, 0, 1]) }, true, ['encrypt', 'decrypt']);
                const pw = await subtle.importKey('raw', enc.encode('password'), 'PBKDF2', false, ['deriveBits']);
                const bits = subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: enc.encode('salt'), iterations: 100000 }, pw, 256);
                const { publicKey, privateKey } = await keys;
                console.log('rsa', publicKey.algorithm.modulusLength, privateKey.type);
                const ct = await subtle.encrypt({ name: 'RSA-OAEP', label: enc.encode('l') }, publicKey, enc.encode('secret'));
                console.log(new TextDecoder().decode(await subtle.decrypt({ name: 'RSA-OAEP', label: enc.encode('l') }, privateKey, ct)));
                console.log(hex(await bits));
                """);
        assertEquals("""
                timer
                rsa 2048 private
                secret
                0394a2ede332c9a13eb82e9b24631604c31df978b4e2f0fbd2c549944f9d79a5""", out);
    }
}
