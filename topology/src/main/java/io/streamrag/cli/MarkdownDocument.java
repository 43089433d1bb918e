package io.streamrag.cli;

import java.util.ArrayList;
import java.util.List;
import org.commonmark.node.Block;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * A Markdown file as the text a reader sees, parsed with commonmark-java: emphasis, link and image syntax, inline-code
 * backticks, list markers, block-quote markers, code fences and HTML are dropped, their text kept (link text, image
 * alt text, code). Paragraphs, list items and code blocks become paragraphs separated by blank lines (list items
 * one per line); soft line breaks become spaces, so hard-wrapped source does not break sentences. Headings stay
 * marked as {@code ## Heading} lines: the chunker takes them out of the passages and puts them in front of their
 * section's passages as context. The first heading is the title; when it opens the file it is not repeated in the
 * body.
 *
 * @param title the first heading's text, or null when the file has none
 * @param body  the plain text
 */
public record MarkdownDocument(String title, String body) {

    private static final Parser PARSER = Parser.builder().build();

    public static MarkdownDocument parse(String markdown) {
        Node document = PARSER.parse(markdown);
        String title = null;
        List<String> blocks = new ArrayList<>();
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            if (block instanceof Heading heading) {
                String text = inline(heading).strip();
                if (text.isEmpty()) {
                    continue;
                }
                if (title == null) {
                    title = text;
                    if (blocks.isEmpty()) {
                        continue; // the title opens the file: it is the document's title, not a section
                    }
                }
                blocks.add("#".repeat(heading.getLevel()) + " " + text);
            } else {
                addBlock(block, blocks);
            }
        }
        return new MarkdownDocument(title, String.join("\n\n", blocks));
    }

    private static void addBlock(Node block, List<String> blocks) {
        if (block instanceof Paragraph) {
            addIfPresent(inline(block), blocks);
        } else if (block instanceof Heading heading) {
            addIfPresent(inline(heading), blocks);
        } else if (block instanceof FencedCodeBlock code) {
            addIfPresent(code.getLiteral(), blocks);
        } else if (block instanceof IndentedCodeBlock code) {
            addIfPresent(code.getLiteral(), blocks);
        } else if (block instanceof ListBlock list) {
            List<String> items = new ArrayList<>();
            for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
                List<String> parts = new ArrayList<>();
                for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                    addBlock(child, parts);
                }
                addIfPresent(String.join("\n", parts), items);
            }
            addIfPresent(String.join("\n", items), blocks);
        } else if (block instanceof BlockQuote) {
            for (Node child = block.getFirstChild(); child != null; child = child.getNext()) {
                addBlock(child, blocks);
            }
        }
        // thematic breaks, HTML blocks and link reference definitions carry no reader-visible text
    }

    private static void addIfPresent(String text, List<String> blocks) {
        String stripped = text.strip();
        if (!stripped.isEmpty()) {
            blocks.add(stripped);
        }
    }

    /** The text of a block's inline content: literal text and code, links and emphasis by their text. */
    private static String inline(Node parent) {
        StringBuilder text = new StringBuilder();
        appendInline(parent, text);
        return text.toString();
    }

    private static void appendInline(Node parent, StringBuilder text) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Text literal) {
                text.append(literal.getLiteral());
            } else if (node instanceof Code code) {
                text.append(code.getLiteral());
            } else if (node instanceof SoftLineBreak) {
                text.append(' ');
            } else if (node instanceof HardLineBreak) {
                text.append('\n');
            } else if (!(node instanceof Block)) {
                appendInline(node, text); // emphasis, strong emphasis, links, images (alt text); inline HTML is empty
            }
        }
    }
}
