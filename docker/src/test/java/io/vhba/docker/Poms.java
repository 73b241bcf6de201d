package io.vhba.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The reactor as the poms describe it: the root's modules, and which of them a module is built from. */
final class Poms {
    private static final String GROUP = "io.vhba";

    private Poms() {}

    /**
     * The root pom's {@code <modules>}, in order: directories of the repository root. Modules of a profile (the JMH
     * benchmarks, {@code -Pjmh}) are not part of the default reactor, which is what the image builds.
     */
    static List<String> modules() {
        Document root = read(ModuleFiles.repositoryRoot().resolve("pom.xml"));
        NodeList l = root.getElementsByTagName("module");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            if (l.item(i).getParentNode().getParentNode() == root.getDocumentElement()) {
                out.add(l.item(i).getTextContent().strip());
            }
        }
        return out;
    }

    /** {@code module} and every module it depends on, directly or not ({@code mvn -pl module -am}). */
    static Set<String> withDependencies(String module) {
        Set<String> out = new LinkedHashSet<>();
        collect(module, out);
        return out;
    }

    private static void collect(String module, Set<String> out) {
        if (!out.add(module)) {
            return;
        }
        Document pom = read(ModuleFiles.repositoryRoot().resolve(module).resolve("pom.xml"));
        NodeList deps = pom.getDocumentElement().getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if (d.getParentNode().getParentNode() == pom.getDocumentElement() // not dependencyManagement
                    && GROUP.equals(child(d, "groupId")) && !"test".equals(child(d, "scope"))) {
                collect(child(d, "artifactId"), out); // each module's directory is its artifactId
            }
        }
    }

    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().strip();
            }
        }
        return null;
    }

    private static List<String> texts(Document d, String tag) {
        NodeList l = d.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent().strip());
        }
        return out;
    }

    private static Document read(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }
}
