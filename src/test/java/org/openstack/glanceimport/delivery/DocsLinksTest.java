package org.openstack.glanceimport.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documentation's links resolve as GitHub resolves them: every relative link of README.md and docs/*.md (inline,
 * reference-style, HTML {@code href}/{@code src}) names a file of the repository, and a {@code #anchor} names a heading
 * of the target file by its GitHub slug (or an explicit HTML {@code id}/{@code name}). The alert rules' {@code runbook}
 * annotations (src/main/monitoring/*.yaml) are checked the same way, relative to the repository root. The README stays a
 * landing page: at most {@value #README_MAX_LINES} lines, and it links every page of docs/.
 */
class DocsLinksTest {

    static final int README_MAX_LINES = 250;
    static final Path ROOT = Path.of("").toAbsolutePath().normalize();
    static final Path README = ROOT.resolve("README.md");
    static final Path DOCS = ROOT.resolve("docs");
    static final Path MONITORING = ROOT.resolve("src/main/monitoring");

    @Test
    void theReadmeStaysALandingPage() throws IOException {
        int lines = Files.readAllLines(README).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines, at most " + README_MAX_LINES
                + ": move reference material into docs/ and link it");
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() {
        List<Path> pages = pages();
        assertTrue(pages.size() > 1, "README.md and docs/*.md: " + pages);
        List<String> problems = new ArrayList<>();
        for (Path page : pages) {
            problems.addAll(Markdown.brokenLinks(ROOT, page));
        }
        assertTrue(problems.isEmpty(), "broken links:\n" + String.join("\n", problems));
    }

    @Test
    void theReadmeLinksEveryPageOfTheDocs() {
        Set<Path> linked = new HashSet<>();
        for (Markdown.Link link : Markdown.links(README)) {
            Path target = Markdown.resolve(ROOT, README, link.target());
            if (target != null) {
                linked.add(target);
            }
        }
        List<Path> unlinked = pages().stream().filter(p -> p.startsWith(DOCS) && !linked.contains(p)).toList();
        assertTrue(unlinked.isEmpty(), "docs pages the README does not link: " + unlinked);
    }

    @Test
    void everyRunbookAnnotationResolves() throws IOException {
        List<Path> rules;
        try (Stream<Path> files = Files.list(MONITORING)) {
            rules = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        int runbooks = 0;
        for (Path file : rules) {
            String alert = null;
            boolean alertHasRunbook = true;
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("- alert:") || line.startsWith("- record:")) {
                    if (alert != null && !alertHasRunbook) {
                        problems.add(ROOT.relativize(file) + ": alert " + alert + " has no runbook annotation");
                    }
                    alert = line.startsWith("- alert:") ? line.substring("- alert:".length()).strip() : null;
                    alertHasRunbook = false;
                } else if (line.startsWith("runbook:")) {
                    runbooks++;
                    alertHasRunbook = true;
                    String target = unquote(line.substring("runbook:".length()).strip());
                    String where = ROOT.relativize(file) + ":" + (i + 1) + ": runbook " + target;
                    if (Markdown.isExternal(target)) {
                        problems.add(where + ": not a path in this repository");
                    } else {
                        // the annotation names a path from the repository root, as a link from README.md would
                        String problem = Markdown.problem(ROOT, README, target);
                        if (problem != null) {
                            problems.add(where + ": " + problem);
                        }
                    }
                }
            }
            if (alert != null && !alertHasRunbook) {
                problems.add(ROOT.relativize(file) + ": alert " + alert + " has no runbook annotation");
            }
        }
        assertTrue(runbooks > 0, "no runbook annotation found in " + rules);
        assertTrue(problems.isEmpty(), "runbooks:\n" + String.join("\n", problems));
    }

    @Test
    void slugsAreGitHubs() {
        assertEquals("glanceapi-gapi-has-the-scale-subresource", Markdown.slug("GlanceAPI (`gapi`, has the `scale` subresource)"));
        assertEquals("custom-resources-importglanceopenstackorgv1beta1",
                Markdown.slug("Custom resources (`import.glance.openstack.org/v1beta1`)"));
        assertEquals("a-glanceapi-deleted-while-operator-010-was-replaced-hangs-in-terminating",
                Markdown.slug("A GlanceAPI deleted while operator 0.1.0 was replaced hangs in `Terminating`"));
        assertEquals("test-layers-what-runs-where", Markdown.slug("Test layers: what runs where"));
        assertEquals("snake_case-and----dashes", Markdown.slug("snake_case and -- dashes"));
        assertEquals("see-the-docs", Markdown.slug("See [the docs](docs/x.md)"));
        assertEquals("glanceimportimagesstranded", Markdown.slug("**GlanceImportImagesStranded**"));
    }

    /** The checker itself finds what it should, so a green run means something. */
    @Test
    void theCheckerReportsBrokenLinks(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/b.md"), """
                # Page B
                ## Setup
                ## Setup
                ## `make test`: what it needs
                <a id="explicit"></a>
                ```
                ## Not a heading
                ```
                """);
        Files.writeString(dir.resolve("README.md"), """
                # Top
                [ok](docs/b.md) [ok](docs/b.md#setup) [ok](docs/b.md#setup-1) [ok](docs/b.md#make-test-what-it-needs)
                [ok](docs/b.md#explicit) [ok](#top) [ok](https://example.com/x.md#nothing) ![ok](docs/b.md "title")
                [ok][ref] [ok][] and `[code](missing-in-code.md)`
                [missing file](docs/missing.md)
                [missing anchor](docs/b.md#nope)
                [fenced heading](docs/b.md#not-a-heading)
                [second duplicate](docs/b.md#setup-2)
                [outside](../elsewhere.md)
                [undefined reference][nowhere]
                <img src="docs/none.png">
                ```
                [in a fence](fenced-missing.md)
                ```

                [ref]: docs/b.md#page-b
                [ok]: <docs/b.md>
                [bad ref]: docs/b.md#nothing-here
                """);
        List<String> problems = Markdown.brokenLinks(dir, dir.resolve("README.md"));
        String all = String.join("\n", problems);
        for (String expected : List.of("docs/missing.md", "docs/b.md#nope", "docs/b.md#not-a-heading", "docs/b.md#setup-2",
                "../elsewhere.md", "[nowhere]", "docs/none.png", "docs/b.md#nothing-here")) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), expected + " not reported:\n" + all);
        }
        assertEquals(8, problems.size(), all);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("README.md:5: ")), "line numbers: " + all);
    }

    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Just enough of CommonMark and GitHub's rendering to find links and the anchors they point at. */
    static final class Markdown {

        record Link(int line, String target) {
        }

        private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})");
        private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)(?:\\s+#+)?\\s*$");
        private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s[^>]*?(?:id|name)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
        private static final Pattern CODE_SPAN = Pattern.compile("(?<!`)(`+)(?!`)((?:(?!\\n[ \\t]*\\n).)+?)(?<!`)\\1(?!`)", Pattern.DOTALL);
        /** [text](target "title") and ![alt](target); text may hold one level of brackets and span lines. */
        private static final Pattern INLINE = Pattern.compile(
                "!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*(<[^>\\n]*>|[^)\\s]+)(?:\\s+(?:\"[^\"]*\"|'[^']*'|\\([^)]*\\)))?\\s*\\)");
        /** [text][label] and [label][]. */
        private static final Pattern REFERENCE = Pattern.compile("\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])+)\\]\\[([^\\[\\]]*)\\]");
        private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[([^\\[\\]]+)\\]:\\s*(<[^>]*>|\\S+)", Pattern.MULTILINE);
        private static final Pattern HTML_LINK = Pattern.compile("<(?:a|img)\\s[^>]*?(?:href|src)\\s*=\\s*\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
        private static final Pattern LINE_ANCHOR = Pattern.compile("L\\d+(-L\\d+)?");

        private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

        /** Every broken relative link of a page, as "page:line: target: why". */
        static List<String> brokenLinks(Path root, Path page) {
            List<String> problems = new ArrayList<>();
            String text = prose(read(page));
            Map<String, String> definitions = new HashMap<>();
            Matcher d = DEFINITION.matcher(text);
            while (d.find()) {
                definitions.putIfAbsent(label(d.group(1)), d.group(2));
            }
            Matcher r = REFERENCE.matcher(text);
            while (r.find()) {
                String label = label(r.group(2).isBlank() ? r.group(1) : r.group(2));
                if (!definitions.containsKey(label)) {
                    problems.add(root.relativize(page) + ":" + lineOf(text, r.start()) + ": [" + label
                            + "]: reference-style link without a definition");
                }
            }
            for (Link link : links(page)) {
                if (isExternal(link.target())) {
                    continue;
                }
                String problem = problem(root, page, link.target());
                if (problem != null) {
                    problems.add(root.relativize(page) + ":" + link.line() + ": " + link.target() + ": " + problem);
                }
            }
            return problems;
        }

        /** The links of a page outside code: inline, images, reference definitions and HTML href/src. */
        static List<Link> links(Path page) {
            String text = prose(read(page));
            List<Link> links = new ArrayList<>();
            for (Pattern pattern : List.of(INLINE, DEFINITION, HTML_LINK)) {
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    String target = pattern == HTML_LINK ? m.group(1) : m.group(2);
                    if (target.startsWith("<") && target.endsWith(">")) {
                        target = target.substring(1, target.length() - 1);
                    }
                    links.add(new Link(lineOf(text, m.start()), target));
                }
            }
            links.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return links;
        }

        static boolean isExternal(String target) {
            return target.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*") || target.startsWith("//");
        }

        /** The file a relative link names (without its anchor), or null when it names none inside the repository. */
        static Path resolve(Path root, Path page, String target) {
            if (isExternal(target)) {
                return null;
            }
            String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            if (path.contains("?")) {
                path = path.substring(0, path.indexOf('?'));
            }
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (path.isEmpty()) {
                return page;
            }
            Path resolved = (path.startsWith("/") ? root.resolve(path.substring(1)) : page.getParent().resolve(path)).normalize();
            return resolved.startsWith(root) ? resolved : null;
        }

        /** Why a relative link does not resolve, or null when it does. */
        static String problem(Path root, Path page, String target) {
            Path file = resolve(root, page, target);
            if (file == null) {
                return "points outside the repository";
            }
            if (!Files.exists(file)) {
                return "no such file " + root.relativize(file);
            }
            if (!target.contains("#")) {
                return null;
            }
            String anchor = URLDecoder.decode(target.substring(target.indexOf('#') + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
            if (anchor.isEmpty()) {
                return "empty anchor";
            }
            Path markdown = Files.isDirectory(file) ? file.resolve("README.md") : file;
            if (markdown.toString().endsWith(".md") && Files.isRegularFile(markdown)) {
                Set<String> anchors = anchors(markdown);
                return anchors.contains(anchor) ? null
                        : "no heading with anchor #" + anchor + " in " + root.relativize(markdown) + " (it has: " + anchors + ")";
            }
            return LINE_ANCHOR.matcher(anchor).matches() ? null : "anchor #" + anchor + " into a file that is not markdown";
        }

        /** The anchors GitHub gives a markdown file: its headings' slugs, duplicates numbered, and explicit HTML ids. */
        static Set<String> anchors(Path markdown) {
            return ANCHORS.computeIfAbsent(markdown, file -> {
                Set<String> anchors = new LinkedHashSet<>();
                Map<String, Integer> counts = new HashMap<>();
                for (String line : withoutFences(read(file)).split("\n", -1)) {
                    Matcher h = HEADING.matcher(line);
                    if (h.matches()) {
                        String base = slug(h.group(2));
                        String slug = base;
                        while (anchors.contains(slug)) {
                            int n = counts.merge(base, 1, Integer::sum);
                            slug = base + "-" + n;
                        }
                        anchors.add(slug);
                    }
                }
                // explicit anchors: GitHub keeps the id or name of an <a> (prefixed, and its script follows the link)
                Matcher a = HTML_ANCHOR.matcher(withoutFences(read(file)));
                while (a.find()) {
                    anchors.add(a.group(1));
                }
                return new TreeSet<>(anchors);
            });
        }

        /**
         * GitHub's heading anchor: the rendered text (links and images by their text, HTML tags dropped), lower-cased,
         * every character but letters, digits, marks, spaces, {@code -} and {@code _} removed, each space a {@code -}.
         */
        static String slug(String heading) {
            String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
            text = text.strip().toLowerCase(Locale.ROOT);
            text = text.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "");
            return text.replace(' ', '-');
        }

        private static String label(String label) {
            return label.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        }

        /** The page with fenced code blocks and code spans blanked (newlines kept, so line numbers stay). */
        private static String prose(String text) {
            Matcher m = CODE_SPAN.matcher(withoutFences(text));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static String withoutFences(String text) {
            StringBuilder out = new StringBuilder();
            String fence = null;
            for (String line : text.split("\n", -1)) {
                Matcher f = FENCE.matcher(line);
                if (fence == null && f.find()) {
                    fence = f.group(1);
                    out.append('\n');
                } else if (fence != null) {
                    if (f.find() && f.group(1).charAt(0) == fence.charAt(0) && f.group(1).length() >= fence.length()
                            && line.strip().equals(f.group(1))) {
                        fence = null;
                    }
                    out.append('\n');
                } else {
                    out.append(line).append('\n');
                }
            }
            return out.substring(0, Math.max(0, out.length() - 1));
        }

        private static int lineOf(String text, int offset) {
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
