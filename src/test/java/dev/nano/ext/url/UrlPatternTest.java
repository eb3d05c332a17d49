package dev.nano.ext.url;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.nano.testing.JsHarness;

/** URLPattern (URL Pattern Standard) as app code sees it. */
class UrlPatternTest {
    // Prints each line's value as JSON, or the error's type and message.
    private static final String PRELUDE = """
            const show = (f) => { try { const v = f(); console.log(v === undefined ? 'undefined' : JSON.stringify(v)); }
                                  catch (e) { console.log(e.constructor.name + ': ' + e.message); } };
            const components = (p) => [p.protocol, p.username, p.password, p.hostname, p.port, p.pathname, p.search, p.hash].join(' | ');
            """;

    private static String run(String code) {
        try (JsHarness js = new JsHarness()) {
            String out = js.run(PRELUDE + code);
            assertTrue(js.uncaught().isEmpty(), () -> "uncaught: " + js.uncaught());
            return out;
        }
    }

    @Test
    void namedGroupsRoutePathsAndExecGivesTheResultShape() {
        String out = run("""
                const p = new URLPattern({ pathname: '/books/:id' });
                show(() => p.test('https://example.com/books/42'));
                show(() => p.test('https://example.com/books/42/pages'));
                show(() => p.test('https://example.com/books/'));
                const r = p.exec('https://example.com/books/42?x=1#top');
                show(() => Object.keys(r));
                show(() => r.inputs);
                show(() => r.pathname);
                show(() => [r.protocol, r.hostname, r.port, r.search, r.hash]);
                show(() => p.exec('https://example.com/other'));
                show(() => p.exec({ pathname: '/books/7' }));
                """);
        assertEquals("""
                true
                false
                false
                ["hash","hostname","inputs","password","pathname","port","protocol","search","username"]
                ["https://example.com/books/42?x=1#top"]
                {"groups":{"id":"42"},"input":"/books/42"}
                [{"groups":{"0":"https"},"input":"https"},{"groups":{"0":"example.com"},"input":"example.com"},\
                {"groups":{"0":""},"input":""},{"groups":{"0":"x=1"},"input":"x=1"},{"groups":{"0":"top"},"input":"top"}]
                null
                {"hash":{"groups":{"0":""},"input":""},"hostname":{"groups":{"0":""},"input":""},"inputs":[{"pathname":"/books/7"}],\
                "password":{"groups":{"0":""},"input":""},"pathname":{"groups":{"id":"7"},"input":"/books/7"},\
                "port":{"groups":{"0":""},"input":""},"protocol":{"groups":{"0":""},"input":""},\
                "search":{"groups":{"0":""},"input":""},"username":{"groups":{"0":""},"input":""}}""", out);
    }

    @Test
    void modifiersWildcardsRegexpGroupsAndUnmatchedOptionalGroups() {
        String out = run("""
                const groups = (pattern, path) => { const r = new URLPattern({ pathname: pattern }).exec({ pathname: path });
                                                    return r === null ? null : r.pathname.groups; };
                show(() => groups('/foo/:bar?', '/foo'));
                show(() => 'bar' in groups('/foo/:bar?', '/foo'));
                show(() => groups('/foo/:bar?', '/foo/x'));
                show(() => groups('/foo/:bar?', '/foo/'));
                show(() => groups('/foo/:bar+', '/foo/a/b/c'));
                show(() => groups('/foo/:bar+', '/foo'));
                show(() => groups('/foo/:bar*', '/foo'));
                show(() => groups('/foo/*', '/foo/a/b'));
                show(() => groups('/foo/*/:x/*', '/foo/a/b/c'));
                show(() => groups('/:year(\\\\d+)/:slug', '/2024/hello'));
                show(() => groups('/:year(\\\\d+)/:slug', '/latest/hello'));
                show(() => groups('/(\\\\d+)-(\\\\w+)', '/12-ab'));
                show(() => groups('/:name.:ext(jpg|png)', '/cat.png'));
                show(() => groups('/:name.:ext(jpg|png)', '/cat.gif'));
                show(() => groups('/product{s}?/:id', '/products/1'));
                show(() => groups('/product{s}?/:id', '/product/1'));
                show(() => groups('/files{/:dir}*/:file', '/files/a/b/c.txt'));
                show(() => groups('/files{/:dir}*/:file', '/files/c.txt'));
                show(() => groups('/api/v{:major(\\\\d)}+', '/api/v12'));
                show(() => groups('/a\\\\:b\\\\*', '/a:b*'));
                show(() => groups('/a\\\\:b\\\\*', '/a:bb'));
                """);
        assertEquals("""
                {}
                true
                {"bar":"x"}
                null
                {"bar":"a/b/c"}
                null
                {}
                {"0":"a/b"}
                {"0":"a","1":"c","x":"b"}
                {"year":"2024","slug":"hello"}
                null
                {"0":"12","1":"ab"}
                {"name":"cat","ext":"png"}
                null
                {"id":"1"}
                {"id":"1"}
                {"dir":"a/b","file":"c.txt"}
                {"file":"c.txt"}
                {"major":"12"}
                {}
                null""", out);
    }

    @Test
    void componentGettersGiveTheNormalizedPatternString() {
        String out = run("""
                show(() => components(new URLPattern({ pathname: '/foo/(.*)' })));
                show(() => components(new URLPattern({ pathname: '/foo/(.*)?' })));
                show(() => components(new URLPattern({ pathname: '/:id([^\\\\/]+?)' })));
                show(() => components(new URLPattern({ pathname: '/{a}/{b}?/{:c}' })));
                show(() => components(new URLPattern({ pathname: '/:foo\\\\bar' })));
                show(() => components(new URLPattern({ pathname: '/:foo(.*)' })));
                show(() => components(new URLPattern({ pathname: '/a b/ä', search: 'q=a b', hash: 'x y' })));
                show(() => components(new URLPattern({ hostname: '*.EXAMPLE.com', protocol: 'https:' })));
                // Opaque paths keep trailing spaces; controls are percent-encoded.
                show(() => new URLPattern({ protocol: 'javascript', pathname: 'go(1)\\u0001 ' }).pathname);
                show(() => components(new URLPattern({ pathname: '/a\\\\+b/c\\\\?' })));
                show(() => components(new URLPattern()));
                """);
        assertEquals("""
                "* | * | * | * | * | /foo/* | * | *"
                "* | * | * | * | * | /foo/*? | * | *"
                "* | * | * | * | * | /:id | * | *"
                "* | * | * | * | * | /a/{b}?/{:c} | * | *"
                "* | * | * | * | * | {/:foo}bar | * | *"
                "* | * | * | * | * | /:foo(.*) | * | *"
                "* | * | * | * | * | /a%20b/%C3%A4 | q=a%20b | x%20y"
                "https | * | * | *.example.com | * | * | * | *"
                "go(1)%01 "
                "* | * | * | * | * | /a\\\\+b/c%3F | * | *"
                "* | * | * | * | * | * | * | *\"""", out);
    }

    @Test
    void constructorStringsSplitIntoComponentsAndInheritFromTheBaseUrl() {
        String out = run("""
                show(() => components(new URLPattern('https://example.com/foo/*')));
                show(() => components(new URLPattern('/foo/*', 'https://example.com/bar?q#h')));
                show(() => components(new URLPattern('https://example.com/foo/*', 'https://other.org/')));
                show(() => components(new URLPattern('https://*.example.com:8080/books/*/list?x=:v#h')));
                // '?' after a group is a modifier, not the start of the search
                show(() => components(new URLPattern('https://example.com/:p*?x=:v')));
                show(() => components(new URLPattern('https://example.com?x')));
                show(() => components(new URLPattern('https://example.com#x')));
                show(() => components(new URLPattern('https://user\\\\:pass@example.com')));
                show(() => components(new URLPattern('mailto:*@example.com')));
                // An escaped ':' still ends a protocol; a group keeps it in the path.
                show(() => components(new URLPattern('data\\\\:foo*', 'https://example.com')));
                show(() => components(new URLPattern('data{\\\\:}foo*', 'https://example.com')));
                show(() => components(new URLPattern({ pathname: 'baz', baseURL: 'https://example.com/x/y' })));
                show(() => components(new URLPattern({ pathname: '/foo', baseURL: 'https://u:p@example.com:8080/x?q#h' })));
                show(() => components(new URLPattern({ search: 'a', baseURL: 'https://example.com/x?q#h' })));
                show(() => components(new URLPattern({ protocol: 'http', baseURL: 'https://example.com/x?q#h' })));
                show(() => new URLPattern('/foo/*', 'https://example.com').test('https://example.com/foo/bar'));
                show(() => new URLPattern('/foo/*', 'https://example.com').test('https://evil.com/foo/bar'));
                show(() => new URLPattern('/foo/*', 'https://example.com').test('https://example.com:444/foo/bar'));
                """);
        assertEquals("""
                "https | * | * | example.com |  | /foo/* | * | *"
                "https | * | * | example.com |  | /foo/* | * | *"
                "https | * | * | example.com |  | /foo/* | * | *"
                "https | * | * | *.example.com | 8080 | /books/*/list | x=:v | h"
                TypeError: Invalid URL pattern "/:p*?x=:v": expected end of pattern but found '?' at index 4
                "https | * | * | example.com |  | / | x | *"
                "https | * | * | example.com |  | / |  | x"
                "https | user | pass | example.com |  | * | * | *"
                "mailto | * | * |  |  | *@example.com | * | *"
                "data | * | * |  |  | /foo* | * | *"
                "https | * | * | example.com |  | /data\\\\:foo* | * | *"
                "https | * | * | example.com |  | /x/baz | * | *"
                "https | * | * | example.com | 8080 | /foo | * | *"
                "https | * | * | example.com |  | /x | a | *"
                "http | * | * | * | * | * | * | *"
                true
                false
                false""", out);
    }

    @Test
    void defaultPortsIpv6HostsAndIgnoreCase() {
        String out = run("""
                show(() => new URLPattern('https://example.com:443/').port);
                show(() => new URLPattern('http://example.com:8080/').port);
                show(() => new URLPattern({ protocol: 'http', port: '80' }).port);
                show(() => new URLPattern({ protocol: 'https', port: '80' }).port);
                show(() => new URLPattern({ port: '080' }).port);
                show(() => new URLPattern({ pathname: '/x' }).test({ protocol: 'https', port: '443', pathname: '/x' }));
                show(() => new URLPattern({ port: '' }).test('https://example.com:443/'));
                const v6 = new URLPattern('http://[\\\\:\\\\:1]:8080/*');
                show(() => [v6.hostname, v6.port]);
                show(() => v6.test('http://[::1]:8080/a'));
                show(() => v6.test('http://[::2]:8080/a'));
                show(() => new URLPattern({ hostname: '[\\\\:\\\\:AB]' }).hostname);
                show(() => new URLPattern({ hostname: '[\\\\:\\\\:xy]' }));
                show(() => new URLPattern({ hostname: '{sub.}?example.com' }).test({ hostname: 'SUB.Example.com' }));
                const ci = new URLPattern({ pathname: '/Books/:id', search: 'Q=*' }, { ignoreCase: true });
                show(() => [ci.test('https://x/books/1?q=2'), ci.test('https://X/BOOKS/1?Q=2')]);
                show(() => new URLPattern({ pathname: '/Books/:id' }).test('https://x/books/1'));
                show(() => new URLPattern('https://example.com/Books', { ignoreCase: true }).test('https://example.com/books'));
                show(() => new URLPattern('/Books', 'https://example.com', { ignoreCase: true }).test('https://example.com/BOOKS'));
                """);
        assertEquals("""
                ""
                "8080"
                ""
                "80"
                "80"
                true
                true
                ["[\\\\:\\\\:1]","8080"]
                true
                false
                "[\\\\:\\\\:ab]"
                TypeError: Invalid IPv6 hostname '[::xy]' in URL pattern
                true
                [true,true]
                false
                true
                true""", out);
    }

    @Test
    void hostnamesAreCanonicalizedByTheUrlHostParser() {
        String out = run("""
                const host = (h) => show(() => new URLPattern({ hostname: h }).hostname);
                host('Bücher.Example');
                host('api.example.com/v1');
                host('ex\\tample.com');
                host('a\\\\\\\\b.example');
                host('a<b.example');
                host('{www.}?EXAMPLE.org');
                show(() => new URLPattern({ hostname: 'xn--bcher-kva.example' }).test({ hostname: 'bücher.example' }));
                show(() => new URLPattern('http://[:addr]:8080/').exec('http://[::1]:8080/').hostname);
                show(() => new URLPattern({ hostname: '{[\\\\:\\\\::tail]}' }).exec({ hostname: '[::cafe]' }).hostname.groups);
                """);
        assertEquals("""
                "xn--bcher-kva.example"
                "api.example.com"
                "example.com"
                TypeError: Invalid hostname 'a\\b.example' in URL pattern
                TypeError: Invalid hostname 'a<b.example' in URL pattern
                "{www.}?example.org"
                true
                {"groups":{"addr":"::1"},"input":"[::1]"}
                {"tail":"cafe"}""", out);
    }

    @Test
    void execAndTestInputForms() {
        String out = run("""
                const p = new URLPattern({ hostname: 'example.com', pathname: '/a/:x' });
                show(() => p.test('/a/1', 'https://example.com/base'));
                show(() => p.exec('/a/1', 'https://example.com/base').inputs);
                show(() => p.test('/a/1', 'https://other.com/'));
                show(() => p.test({ pathname: '/a/1', baseURL: 'https://example.com' }));
                show(() => p.test({ pathname: 'a/1', baseURL: 'https://example.com/' }));
                show(() => p.test({ hostname: 'example.com', pathname: '/a/./b/../1' }));
                show(() => p.test('not a url'));
                show(() => p.test('/a/1', 'not a url'));
                show(() => p.test({ hostname: 'bad host', pathname: '/a/1' }));
                show(() => p.test({ pathname: '/a/1' }, 'https://example.com'));
                show(() => p.test(42));
                show(() => new URLPattern().test());
                show(() => new URLPattern({ search: 'q=:v' }).exec('https://x/?q=a%20b').search.groups);
                show(() => new URLPattern({ hash: 'sec-:n' }).exec({ hash: '#sec-2' }).hash);
                show(() => new URLPattern({ username: ':u', password: '*' }).exec('https://ann:secret@x/').username.groups);
                """);
        assertEquals("""
                true
                ["/a/1","https://example.com/base"]
                false
                true
                true
                true
                false
                false
                false
                TypeError: A baseURL is not allowed with a URLPatternInit input; use its baseURL member
                false
                true
                {"v":"a%20b"}
                {"groups":{"n":"2"},"input":"sec-2"}
                {"u":"ann"}""", out);
    }

    @Test
    void hasRegExpGroupsIsTrueOnlyForCustomRegexps() {
        String out = run("""
                show(() => new URLPattern({ pathname: '/:id' }).hasRegExpGroups);
                show(() => new URLPattern({ pathname: '/*' }).hasRegExpGroups);
                show(() => new URLPattern({ pathname: '/(.*)' }).hasRegExpGroups);
                show(() => new URLPattern({ pathname: '/:id([^\\\\/]+?)' }).hasRegExpGroups);
                show(() => new URLPattern({ pathname: '/:id(\\\\d+)' }).hasRegExpGroups);
                show(() => new URLPattern({ hostname: '(www|api).example.com' }).hasRegExpGroups);
                show(() => new URLPattern('https://example.com/:id(\\\\d+)').hasRegExpGroups);
                """);
        assertEquals("""
                false
                false
                false
                false
                true
                true
                true""", out);
    }

    @Test
    void invalidPatternsThrowTypeErrorsNamingTheProblem() {
        String out = run("""
                const bad = (...args) => show(() => new URLPattern(...args));
                bad({ pathname: '/(a' });
                bad({ pathname: '/:a/:a' });
                bad({ pathname: '/((x))' });
                bad({ pathname: '/(?x)' });
                bad({ pathname: '/()' });
                bad({ pathname: '/(é)' });
                bad({ pathname: '/:' });
                bad({ pathname: '/\\\\' });
                bad({ pathname: '/{a' });
                bad({ pathname: '/a}' });
                bad({ pathname: '/{a{b}}' });
                bad({ pathname: '/([)' });
                bad({ port: 'abc' });
                bad({ port: '70000' });
                bad({ hostname: 'bad host' });
                bad({ protocol: 'ht tp' });
                bad({ pathname: '/foo', baseURL: 'not a url' });
                bad('/foo');
                bad('/foo', undefined);
                bad({ pathname: '/foo' }, 'https://example.com');
                bad('https://example.com', 'https://example.com', 'nope');
                bad(Symbol());
                """);
        assertEquals("""
                TypeError: Invalid URL pattern "/(a": unbalanced '(' at index 1
                TypeError: Invalid URL pattern "/:a/:a": duplicate group name 'a' at index 4
                TypeError: Invalid URL pattern "/((x))": capturing group inside a regexp group (use '(?:') at index 1
                TypeError: Invalid URL pattern "/(?x)": regexp group starting with '?' at index 1
                TypeError: Invalid URL pattern "/()": empty regexp group '()' at index 1
                TypeError: Invalid URL pattern "/(é)": non-ASCII character 'é' in regexp group at index 1
                TypeError: Invalid URL pattern "/:": missing or invalid group name after ':' at index 1
                TypeError: Invalid URL pattern "/\\\\": trailing escape character '\\' at index 1
                TypeError: Invalid URL pattern "/{a": expected '}' but found end of pattern at index 3
                TypeError: Invalid URL pattern "/a}": expected end of pattern but found '}' at index 2
                TypeError: Invalid URL pattern "/{a{b}}": expected '}' but found '{' at index 3
                TypeError: Invalid URL pattern "/([)": Unexpected ')' in class set expression
                TypeError: Invalid port 'abc' in URL pattern
                TypeError: Invalid port '70000' in URL pattern
                TypeError: Invalid hostname 'bad host' in URL pattern
                TypeError: Invalid protocol 'ht tp' in URL pattern
                TypeError: Invalid baseURL 'not a url'
                TypeError: Relative URL pattern "/foo" needs a baseURL
                TypeError: Relative URL pattern "/foo" needs a baseURL
                TypeError: A baseURL is not allowed with a URLPatternInit input; use its baseURL member
                TypeError: URLPatternOptions must be an object
                TypeError: Cannot convert a Symbol value to a string""", out);
    }

    @Test
    void webIdlShape() {
        String out = run("""
                show(() => [typeof URLPattern, URLPattern.length, Object.getOwnPropertyDescriptor(globalThis, 'URLPattern').enumerable]);
                show(() => Object.prototype.toString.call(new URLPattern()));
                const proto = URLPattern.prototype;
                show(() => ['protocol', 'pathname', 'hasRegExpGroups'].map((k) => {
                  const d = Object.getOwnPropertyDescriptor(proto, k); return [typeof d.get, d.set, d.enumerable]; }));
                show(() => [proto.test.length, proto.exec.length, Object.getOwnPropertyDescriptor(proto, 'exec').enumerable]);
                show(() => Object.getOwnPropertyDescriptor(proto, 'pathname').get.call({}));
                show(() => proto.test.call(new URL('https://x/'), 'https://x/'));
                show(() => URLPattern());
                const p = new URLPattern({ pathname: '/a' });
                show(() => { p.pathname = '/b'; });
                show(() => p.pathname);
                // App code replacing built-ins does not break matching.
                RegExp.prototype.exec = () => null;
                String.prototype.slice = () => 'x';
                globalThis.URL = function () { throw new Error('replaced'); };
                show(() => new URLPattern('https://example.com/:id').exec('https://example.com/3').pathname.groups);
                """);
        assertEquals("""
                ["function",0,false]
                "[object URLPattern]"
                [["function",null,true],["function",null,true],["function",null,true]]
                [0,0,true]
                TypeError: Cannot read private member #components from an object whose class did not declare it.
                TypeError: Receiver must be an instance of class
                TypeError: Class constructor URLPattern cannot be invoked without 'new'
                TypeError: Cannot set property pathname of [object URLPattern] which has only a getter
                "/a"
                {"id":"3"}""", out);
    }
}
