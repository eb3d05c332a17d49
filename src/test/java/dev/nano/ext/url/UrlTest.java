package dev.nano.ext.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** The URL interface (URL Standard §6.1) as app code sees it. */
class UrlTest {
    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(code);
            assertTrue(js.uncaught().isEmpty(), () -> "uncaught: " + js.uncaught());
            return out;
        }
    }

    @Test
    void gettersSliceEveryComponent() {
        String out = run("""
                const u = new URL('HTTPS://us%65r:p%40ss@EXAMPLE.com:8443/a/./b/../c?x=1&y=%20#frag');
                for (const k of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port',
                                 'pathname', 'search', 'hash']) console.log(k + '=' + u[k]);
                """);
        assertEquals("""
                href=https://us%65r:p%40ss@example.com:8443/a/c?x=1&y=%20#frag
                origin=https://example.com:8443
                protocol=https:
                username=us%65r
                password=p%40ss
                host=example.com:8443
                hostname=example.com
                port=8443
                pathname=/a/c
                search=?x=1&y=%20
                hash=#frag""", out);
    }

    @Test
    void relativeResolutionDefaultPortsAndEmptyComponents() {
        String out = run("""
                console.log(new URL('../d?q#', 'http://h:80/a/b/c').href);
                const u = new URL('http://h:80/?#');
                console.log(JSON.stringify([u.port, u.search, u.hash, u.host, u.href]));
                console.log(new URL('//other/x', 'wss://h/y').href);
                console.log(new URL('?only', 'file:///C:/dir/file').href);
                // the same base twice, then another (the ops cache the last base)
                console.log(new URL('x', 'https://a/b/').href, new URL('y', 'https://a/b/').href, new URL('#z', 'sc:o').href);
                """);
        assertEquals("""
                http://h/a/d?q#
                ["","","","h","http://h/?#"]
                wss://other/x
                file:///C:/dir/file?only
                https://a/b/x https://a/b/y sc:o#z""", out);
    }

    @Test
    void hostsAreParsedAsIdnIpv4AndIpv6() {
        String out = run("""
                console.log(new URL('https://Bücher.DE/').host);
                console.log(new URL('http://0x7f.1/').host);
                console.log(new URL('http://[0:0:0:0:0:ffff:192.168.0.1]:81/').host);
                console.log(new URL('http://[2001:db8:0:0:1:0:0:1]/').hostname);
                console.log(new URL('foo://Opaque%41Host/').host);
                for (const bad of ['http://a b/', 'http://[::1/', 'http://1.2.3.256/', 'https://xn--/', 'http://ex%00ample/']) {
                  try { new URL(bad); console.log('parsed ' + bad); } catch (e) { console.log(e.constructor.name); }
                }
                """);
        assertEquals("""
                xn--bcher-kva.de
                127.0.0.1
                [::ffff:c0a8:1]:81
                [2001:db8::1:0:0:1]
                Opaque%41Host
                TypeError
                TypeError
                TypeError
                TypeError
                TypeError""", out);
    }

    @Test
    void settersFollowTheApiRules() {
        String out = run("""
                const u = new URL('http://user@example.net:8080/p?q#h');
                u.protocol = 'https'; u.username = 'a b'; u.password = 'p:w'; u.port = '443';
                console.log(u.href);
                u.host = 'other.org:99'; u.pathname = 'x y/%2e%2E/z'; u.search = '?a=1'; u.hash = 'frag ment';
                console.log(u.href);
                u.hostname = 'h:1'; u.port = '70000'; u.protocol = 'mailto'; u.search = ''; u.hash = '';
                console.log(u.href);
                u.port = ''; console.log(u.port === '' && u.host === 'other.org');
                const o = new URL('mailto:me@example.com');
                o.host = 'x'; o.pathname = '/y'; o.username = 'u';
                console.log(o.href);
                """);
        assertEquals("""
                https://a%20b:p%3Aw@example.net/p?q#h
                https://a%20b:p%3Aw@other.org:99/z?a=1#frag%20ment
                https://a%20b:p%3Aw@other.org:99/z
                true
                mailto:me@example.com""", out);
    }

    @Test
    void hrefSetterThrowsTypeErrorAndLeavesTheUrl() {
        String out = run("""
                const u = new URL('https://example.com/');
                try { u.href = 'not a url'; } catch (e) { console.log(e instanceof TypeError); }
                console.log(u.href);
                u.href = 'http://other/';
                console.log(u.href, String(u), u.toJSON(), JSON.stringify({ u }));
                """);
        assertEquals("true\nhttps://example.com/\nhttp://other/ http://other/ http://other/ {\"u\":\"http://other/\"}", out);
    }

    @Test
    void staticsParseAndCanParse() {
        String out = run("""
                console.log(URL.canParse('a:b'), URL.canParse('/x'), URL.canParse('/x', 'https://h'));
                console.log(URL.parse('nope'), URL.parse('x', 'nope'), URL.parse('/x', 'https://h').href);
                console.log(URL.parse('https://h/') !== URL.parse('https://h/'));
                try { new URL(); } catch (e) { console.log(e.constructor.name, e.message); }
                try { URL.canParse(); } catch (e) { console.log(e.constructor.name); }
                """);
        assertEquals("""
                true false true
                null null https://h/x
                true
                TypeError Failed to construct 'URL': 1 argument required, but only 0 present.
                TypeError""", out);
    }

    @Test
    void originOfSpecialOpaqueAndBlobUrls() {
        String out = run("""
                for (const s of ['https://h:443/x', 'ftp://h:21/', 'ws://h:81/', 'file:///x', 'data:text/plain,x',
                                 'blob:https://a.example:8080/uuid', 'blob:ftp://h/', 'blob:uuid', 'sc://h/'])
                  console.log(new URL(s).origin);
                """);
        assertEquals("https://h\nftp://h\nws://h:81\nnull\nnull\nhttps://a.example:8080\nnull\nnull\nnull", out);
    }

    @Test
    void searchParamsIsLiveBothWays() {
        String out = run("""
                const u = new URL('https://h/p?a=1&b=2#f');
                const sp = u.searchParams;
                console.log(sp === u.searchParams, sp.get('b'));
                sp.append('c', 'x y');
                console.log(u.href);
                u.search = '?z=9';
                console.log(sp.get('a'), sp.get('z'), sp.size);
                u.href = 'https://h/?k=v';
                console.log([...sp].join(';'));
                sp.delete('k');
                console.log(u.href, u.search === '');
                const d = new URL('data:space    ?test');
                d.searchParams.delete('test');
                console.log(JSON.stringify(d.href));
                """);
        assertEquals("""
                true 2
                https://h/p?a=1&b=2&c=x+y#f
                null 9 1
                k,v
                https://h/ true
                "data:space\"""", out);
    }

    @Test
    void surrogatesAndControlCharactersAreEncoded() {
        String out = run("""
                const u = new URL('http://h/\\uD800\\uD83D\\uDE00?\\uDC00#\\t\\u0001x ');
                console.log(u.href);
                console.log(new URL('  \\n\\thttp://h/a\\nb  ').href);
                """);
        assertEquals("http://h/%EF%BF%BD%F0%9F%98%80?%EF%BF%BD#%01x\nhttp://h/ab", out);
    }

    @Test
    void urlsOf64KCharsAndMoreKeepTheirComponents() {
        String out = run("""
                const long = 'a'.repeat(70000);
                const u = new URL(`https://u:p@h:8080/${long}?q=${long}#${long}`);
                console.log(u.username, u.password, u.host, u.pathname.length, u.search.length, u.hash.length);
                u.port = '81';
                console.log(u.port, u.href.length);
                """);
        assertEquals("u p h:8080 70001 70003 70001\n81 210021", out);
    }

    @Test
    void interfaceShapeAndBrandChecks() {
        String out = run("""
                const d = Object.getOwnPropertyDescriptor(URL.prototype, 'href');
                console.log(typeof d.get, typeof d.set, d.enumerable, d.configurable);
                console.log(Object.prototype.toString.call(new URL('a:b')), URL.length, URL.name);
                console.log(Object.getOwnPropertyDescriptor(URL, 'canParse').enumerable,
                            Object.getOwnPropertyDescriptor(globalThis, 'URL').enumerable);
                try { d.get.call({}); } catch (e) { console.log(e.constructor.name); }
                class Sub extends URL {}
                console.log(new Sub('https://x/').hostname, new Sub('https://x/') instanceof URL);
                """);
        assertEquals("function function true true\n[object URL] 1 URL\ntrue false\nTypeError\nx true", out);
    }

    @Test
    void appOverridingBuiltinsDoesNotBreakUrl() {
        String out = run("""
                const saved = [String.prototype.slice, String.prototype.charCodeAt, String.prototype.indexOf,
                               Array.prototype.push, RegExp.prototype.exec];
                String.prototype.slice = () => 'hijacked';
                String.prototype.charCodeAt = () => 0;
                String.prototype.indexOf = () => -1;
                Array.prototype.push = () => { throw new Error('push'); };
                RegExp.prototype.exec = () => null;
                let result;
                try {
                  const u = new URL('https://h/p?a=1&b=%20');
                  u.searchParams.append('c', 'd e');
                  result = [u.pathname, u.search, JSON.stringify(u.searchParams.get('b'))];
                } finally {
                  [String.prototype.slice, String.prototype.charCodeAt, String.prototype.indexOf,
                   Array.prototype.push, RegExp.prototype.exec] = saved;
                }
                console.log(result.join(' '));
                """);
        assertEquals("/p ?a=1&b=+&c=d+e \" \"", out);
    }

    @Test
    void internalHooksParseWithoutThrowing() {
        try (JsHarness js = new JsHarness()) {
            Value url = js.runtime().internal().getMember("url");
            Value parsed = url.getMember("parse").execute("/x?y", "https://h/a");
            assertEquals("https://h/x?y", parsed.getMember("href").asString());
            assertTrue(url.getMember("isURL").execute(parsed).asBoolean());
            assertEquals("https://h/x?y", url.getMember("hrefOf").execute(parsed).asString());
            assertTrue(url.getMember("parse").execute("nope").isNull());
            assertEquals("http://h/", url.getMember("parseHref").execute("http://H:80").asString());
            assertTrue(url.getMember("parseHref").execute("x", "nope").isNull());
        }
    }
}
