package org.openstack.glanceimport.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * A canonical YAML form for generated manifests. The Quarkus Kubernetes extension applies its decorators in an order
 * that varies from one build to the next (labels and env vars come out permuted), so `make bundle helm` canonicalizes
 * what it copies: object keys sorted, {@code env} lists sorted by name, every string double-quoted. Helm template
 * expressions ({@code {{ ... }}}) are swapped for placeholders while the YAML is parsed and put back afterwards.
 * <p>
 * Usage: {@code Canonical <dir>...}: rewrites every *.yaml file directly in each directory in canonical form (`make helm`
 * runs it on the copied chart templates). HelmChartTest and CrdDriftTest compare in this form.
 */
public final class Canonical {

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{.*?}}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\"__TPL_(\\d+)__\"");

    private Canonical() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: Canonical <dir>...");
        }
        for (String dir : args) {
            List<Path> files;
            try (Stream<Path> list = Files.list(Path.of(dir))) {
                files = list.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IllegalStateException("no *.yaml in " + dir);
            }
            for (Path f : files) {
                Files.writeString(f, yaml(Files.readString(f)));
            }
        }
    }

    /** One or more YAML documents, possibly with inline Helm expressions; unchanged if a line is a bare template action. */
    public static String yaml(String text) {
        if (text.lines().anyMatch(l -> l.strip().startsWith("{{"))) {
            return text;
        }
        List<String> expressions = new ArrayList<>();
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder tokenized = new StringBuilder();
        while (m.find()) {
            expressions.add(m.group());
            m.appendReplacement(tokenized, "\"__TPL_" + (expressions.size() - 1) + "__\"");
        }
        m.appendTail(tokenized);
        StringBuilder out = new StringBuilder();
        for (String doc : tokenized.toString().split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            out.append("---\n").append(write(sort(read(doc))));
        }
        Matcher p = PLACEHOLDER.matcher(out);
        StringBuilder restored = new StringBuilder();
        while (p.find()) {
            p.appendReplacement(restored, Matcher.quoteReplacement(expressions.get(Integer.parseInt(p.group(1)))));
        }
        p.appendTail(restored);
        return restored.toString();
    }

    static JsonNode read(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode sort(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            o.fields().forEachRemaining(e -> sorted.put(e.getKey(), sort(e.getValue())));
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            sorted.forEach((k, v) -> copy.set(k, "env".equals(k) && v instanceof ArrayNode a ? byName(a) : v));
            return copy;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            a.forEach(e -> copy.add(sort(e)));
            return copy;
        }
        return node;
    }

    private static ArrayNode byName(ArrayNode env) {
        List<JsonNode> items = new ArrayList<>();
        env.forEach(items::add);
        items.sort(Comparator.comparing(e -> e.path("name").asText()));
        ArrayNode copy = JsonNodeFactory.instance.arrayNode();
        items.forEach(copy::add);
        return copy;
    }
}
