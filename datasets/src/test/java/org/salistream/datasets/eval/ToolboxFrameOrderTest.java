package org.salistream.datasets.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolboxFrameOrderTest {

    @Test
    void numericNamesSortByTheirValueNotLexicographically() {
        assertEquals(
                List.of("1.png", "2.png", "10.png"), ToolboxFrameOrder.sort("3", List.of("10.png", "2.png", "1.png")));
    }

    @Test
    void sunSegNamesSortByTheNumberAfterImage() {
        List<String> names = List.of(
                "case_M_1_a2_ayy_image0010.png", "case_M_1_a2_ayy_image0002.png", "case_M_1_a2_ayy_image0100.png");
        assertEquals(List.of(names.get(1), names.get(0), names.get(2)), ToolboxFrameOrder.sort("case2_3", names));
    }

    @Test
    void pythonRstripRemovesAnyTrailingCharactersOfTheSet() {
        assertEquals("12", ToolboxFrameOrder.rstrip("12.png", ".png"));
        assertEquals("im", ToolboxFrameOrder.rstrip("img.png", ".png"));
        assertEquals(Long.valueOf(7), ToolboxFrameOrder.pyInt(" 007 "));
    }

    @Test
    void namesNeitherNumericNorSunSegFallBackToLexicographicOrder() {
        assertEquals(List.of("a.png", "b.png"), ToolboxFrameOrder.sort("x", List.of("b.png", "a.png")));
    }
}
