import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The operations of ops.js straight on the JCA, with the calls NANO's crypto ops make for them
 * (dev.nano.ext.crypto: a new Cipher / Mac / Signature per call, the same algorithm names): the
 * ceiling NANO's WebCrypto can reach on this JDK. NANO ÷ this is the cost of the WebCrypto layer
 * (JS argument handling, the JS/Java boundary, copies, promises); this ÷ node is the provider.
 *
 * <p>Run by bench/crypto.sh when JCA=1: {@code java bench/crypto/Jca.java seconds warmup maxWarmup
 * minAttempts attempts [op...]}.
 * Prints the same JSON lines as ops.js (mode "jca"), with the same warm-up and timed-phase rules.
 */
public final class Jca {
    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int maxWarmup = Integer.parseInt(args[2]);
        int minAttempts = Integer.parseInt(args[3]);
        int attempts = Integer.parseInt(args[4]);
        List<String> only = List.of(args).subList(5, args.length);
        SecureRandom random = new SecureRandom();
        byte[] kib = new byte[1024];
        byte[] mib = new byte[1 << 20];
        random.nextBytes(kib);
        random.nextBytes(mib);

        byte[] aesKey = new byte[32];
        random.nextBytes(aesKey);
        byte[] iv = new byte[12];
        int[] counter = {0};
        Op aes = () -> {
            int c = ++counter[0];
            iv[8] = (byte) (c >>> 24);
            iv[9] = (byte) (c >>> 16);
            iv[10] = (byte) (c >>> 8);
            iv[11] = (byte) c;
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, iv));
            return cipher.doFinal(kib);
        };

        byte[] hmacKey = new byte[64];
        random.nextBytes(hmacKey);
        Op hmac = () -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            return mac.doFinal(kib);
        };

        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = ecGen.generateKeyPair();
        Op ecSign = () -> {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(ec.getPrivate());
            s.update(kib);
            return s.sign();
        };
        byte[] ecSignature = (byte[]) ecSign.run();
        Op ecVerify = () -> {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(ec.getPublic());
            s.update(kib);
            if (!s.verify(ecSignature)) {
                throw new IllegalStateException("ECDSA signature does not verify");
            }
            return null;
        };

        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        Op rsaSign = () -> {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", new MGF1ParameterSpec("SHA-256"), 32, 1));
            s.initSign(rsa.getPrivate());
            s.update(kib);
            return s.sign();
        };

        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Op edSign = () -> {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(ed.getPrivate());
            s.update(kib);
            return s.sign();
        };

        Op sha = () -> MessageDigest.getInstance("SHA-256").digest(mib);

        Object[][] ops = {
            {"aes-gcm-256-encrypt-1k", aes}, {"hmac-sha256-sign-1k", hmac}, {"ecdsa-p256-sign", ecSign},
            {"ecdsa-p256-verify", ecVerify}, {"rsa-pss-2048-sign", rsaSign}, {"ed25519-sign", edSign},
            {"sha256-digest-1m", sha},
        };
        for (Object[] entry : ops) {
            String name = (String) entry[0];
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            Op op = (Op) entry[1];
            List<Long> warm = warmUp(op, warmup, maxWarmup);
            for (int attempt = 1; ; attempt++) { // the timed phases of ops.js
                System.out.println("{\"timing\":\"" + name + "\",\"mode\":\"jca\"}");
                long calls = 0;
                long nanos = 0;
                List<Long> rates = new ArrayList<>();
                for (int s = 0; s < seconds; s++) {
                    long[] window = runFor(op, 1_000_000_000L);
                    calls += window[0];
                    nanos += window[1];
                    rates.add(Math.round(window[0] * 1e9 / window[1]));
                }
                boolean steady = Collections.min(rates) >= Collections.max(rates) * 0.9;
                System.out.println(String.format(Locale.ROOT,
                        "{\"op\":\"%s\",\"mode\":\"jca\",\"attempt\":%d,\"steady\":%b,\"opsPerSec\":%d,\"calls\":%d,"
                        + "\"seconds\":%.3f,\"rates\":%s,\"warmupRates\":%s}",
                        name, attempt, steady, Math.round(calls * 1e9 / nanos), calls, nanos / 1e9, rates, warm));
                if ((steady && attempt >= minAttempts) || attempt >= attempts) {
                    break;
                }
            }
        }
        Thread.sleep(300); // lets bench/crypto.sh read the CPU times of the last result before the exit
    }

    /** Calls op until {@code nanos} have passed: {calls, elapsed nanos}. */
    private static long[] runFor(Op op, long nanos) throws Exception {
        long start = System.nanoTime();
        long end = start + nanos;
        long calls = 0;
        long now;
        do {
            op.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return new long[] {calls, now - start};
    }

    /** The warm-up rule of ops.js: steady for 5 one-second windows (within 10%, no new best), after warmup s. */
    private static List<Long> warmUp(Op op, int warmup, int maxWarmup) throws Exception {
        int stall = 5;
        List<Long> rates = new ArrayList<>();
        for (int s = 0; s < maxWarmup; s++) {
            long[] window = runFor(op, 1_000_000_000L);
            rates.add(Math.round(window[0] * 1e9 / window[1]));
            if (rates.size() >= Math.max(stall + 1, warmup)) {
                List<Long> last = rates.subList(rates.size() - stall, rates.size());
                long top = Collections.max(last);
                long before = Collections.max(rates.subList(0, rates.size() - stall));
                if (Collections.min(last) >= top * 0.9 && top <= before * 1.03) {
                    break;
                }
            }
        }
        return rates;
    }
}
