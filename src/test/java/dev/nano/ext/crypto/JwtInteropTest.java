package dev.nano.ext.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.nano.testing.JsHarness;

/**
 * JWT-style round trips with keys from PEM-decoded PKCS#8 / SPKI and from JWK, against fixed
 * vectors made by Node's crypto.subtle and by NANO's ({@link JwtVectors}): every token verifies
 * with both key forms, a tampered one does not, the deterministic schemes (RS256, EdDSA) re-sign
 * to the very same bytes, and keys export back to the PEM and JWK they came from.
 */
class JwtInteropTest {
    private static final String SCRIPT = """
            const V = JSON.parse(VECTORS);
            const { subtle } = crypto;
            const enc = new TextEncoder();
            const der = (pem) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, '').replace(/\\s/g, '')), (c) => c.charCodeAt(0));
            const fromB64u = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
            const toB64u = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
            const same = (a, b) => toB64u(a) === toB64u(b);
            const ALGS = {
              RS256: [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }, true],
              ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' }, false],
              EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }, true],
            };
            for (const name of ['RS256', 'ES256', 'EdDSA']) {
              const v = V[name];
              const [importAlg, signAlg, deterministic] = ALGS[name];
              const [h, p, s] = v.jwt.split('.');
              const data = enc.encode(`${h}.${p}`);
              const sig = fromB64u(s);
              const pubSpki = await subtle.importKey('spki', der(v.spki), importAlg, true, ['verify']);
              const pubJwk = await subtle.importKey('jwk', v.jwkPublic, importAlg, true, ['verify']);
              const privPkcs8 = await subtle.importKey('pkcs8', der(v.pkcs8), importAlg, true, ['sign']);
              const privJwk = await subtle.importKey('jwk', v.jwkPrivate, importAlg, true, ['sign']);
              const verified = await subtle.verify(signAlg, pubSpki, sig, data) && await subtle.verify(signAlg, pubJwk, sig, data);
              const tampered = enc.encode(`${h}.${p}x`);
              const rejected = !(await subtle.verify(signAlg, pubSpki, sig, tampered));
              const mine1 = await subtle.sign(signAlg, privPkcs8, data);
              const mine2 = await subtle.sign(signAlg, privJwk, data);
              const resigned = deterministic
                ? toB64u(mine1) === s && toB64u(mine2) === s
                : await subtle.verify(signAlg, pubJwk, mine1, data) && await subtle.verify(signAlg, pubSpki, mine2, data);
              const pem = same(await subtle.exportKey('pkcs8', privJwk), der(v.pkcs8))
                && same(await subtle.exportKey('spki', pubJwk), der(v.spki));
              const jwk = await subtle.exportKey('jwk', privPkcs8);
              const jwkSame = Object.keys(v.jwkPrivate).every((k) => k === 'key_ops' || k === 'alg' || k === 'ext' || jwk[k] === v.jwkPrivate[k]);
              console.log(`${name} verified=${verified} tampered-rejected=${rejected} resigned=${resigned} pem=${pem} jwk=${jwkSame}`);
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"NODE", "NANO"})
    void tokensVerifyAndKeysRoundTrip(String source) {
        String vectors = source.equals("NODE") ? JwtVectors.NODE : JwtVectors.NANO;
        String out;
        try (JsHarness js = new JsHarness()) {
            // The vectors go in as a JS string literal (JSON is a subset of JS string content once quoted).
            String literal = "const VECTORS = " + jsString(vectors) + ";\n";
            out = js.run(literal + SCRIPT);
            assertEquals(List.of(), js.uncaught());
        }
        for (String alg : List.of("RS256", "ES256", "EdDSA")) {
            assertEquals(true, out.contains(alg + " verified=true tampered-rejected=true resigned=true pem=true jwk=true"),
                    "for " + alg + ": " + out);
        }
    }

    private static String jsString(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }
}
