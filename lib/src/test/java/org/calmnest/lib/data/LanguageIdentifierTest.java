package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LanguageIdentifierTest {

    private final LanguageIdentifier id = LanguageIdentifier.get();

    // Sentences written for this test (not taken from the corpus).
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "en|The committee has asked us to look again at the proposal, because we were not able to agree on it before the summer.",
        "de|Wir haben die Kommission gebeten, den Vorschlag noch einmal zu prüfen, weil wir uns vor dem Sommer nicht einigen konnten.",
        "fr|Nous avons demandé à la Commission de revoir cette proposition, car nous ne sommes pas parvenus à un accord avant l'été.",
        "es|Hemos pedido a la Comisión que vuelva a examinar la propuesta, porque no pudimos llegar a un acuerdo antes del verano.",
        "it|Abbiamo chiesto alla Commissione di esaminare di nuovo la proposta, perché non siamo riusciti a trovare un accordo prima dell'estate.",
        "nl|Wij hebben de Commissie gevraagd het voorstel opnieuw te bekijken, omdat wij het er voor de zomer niet over eens konden worden.",
        "pt|Pedimos à Comissão que voltasse a analisar a proposta, porque não conseguimos chegar a um acordo antes do verão.",
        "sv|Vi har bett kommissionen att se över förslaget igen, eftersom vi inte kunde komma överens om det före sommaren.",
        "da|Vi har bedt Kommissionen om at se på forslaget igen, fordi vi ikke kunne blive enige om det inden sommeren.",
        "fi|Olemme pyytäneet komissiota tarkastelemaan ehdotusta uudelleen, koska emme voineet sopia siitä ennen kesää, ja se on meille hyvin tärkeää.",
        "pl|Poprosiliśmy Komisję, aby jeszcze raz przyjrzała się temu wnioskowi, ponieważ nie mogliśmy się co do niego porozumieć przed latem.",
        "cs|Požádali jsme Komisi, aby tento návrh znovu posoudila, protože jsme se na něm před létem nemohli dohodnout, a to je pro nás velmi důležité.",
        "el|Ζητήσαμε από την Επιτροπή να εξετάσει ξανά την πρόταση, επειδή δεν μπορέσαμε να συμφωνήσουμε σε αυτήν πριν από το καλοκαίρι.",
        "bg|Помолихме Комисията да разгледа отново предложението, защото не успяхме да постигнем съгласие по него преди лятото.",
        "hu|Megkértük a Bizottságot, hogy vizsgálja meg újra a javaslatot, mert a nyár előtt nem tudtunk megállapodni róla, és ez nekünk nagyon fontos.",
        "ro|Am cerut Comisiei să reexamineze propunerea, deoarece nu am reușit să ajungem la un acord asupra ei înainte de vară, și acest lucru este important pentru noi.",
    })
    void identifiesSentencesWeWrote(String expected, String sentence) {
        assertThat(id.identify(sentence)).isEqualTo(expected);
    }

    @Test
    void undeterminedWithoutEvidence() {
        assertThat(id.identify("")).isEqualTo(LanguageIdentifier.UNDETERMINED);
        assertThat(id.identify("12345 67.89 -- !!")).isEqualTo(LanguageIdentifier.UNDETERMINED);
        assertThat(id.identify("Xylophone zebra quantum kazoo")).isEqualTo(LanguageIdentifier.UNDETERMINED);
    }

    @Test
    void listsItsLanguagesAndRejectsNull() {
        assertThat(id.languages()).contains("en", "de", "fr", "pl", "el", "bg").doesNotContain("no", "ca");
        assertThatThrownBy(() -> id.identify(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text is null");
    }

    @Test
    void foldsGreekAccentsAndFinalSigma() {
        assertThat(LanguageIdentifier.fold("ΕΊΝΑΙ")).isEqualTo("ειναι");
        assertThat(LanguageIdentifier.fold("τους")).isEqualTo("τουσ");
        assertThat(LanguageIdentifier.fold("și")).isEqualTo("şi");
    }

    @Test
    void europarlCzechIsNotMixedWithSlovak() {
        // Slovak has no Lucene stop list; the orthography pass must keep its documents out of "cs"
        long slovakOnly = Corpus.europarl("cs").documents().stream()
                .filter(t -> t.matches("(?s).*[ľäôĺŕ].*") && !t.matches("(?s).*[ěůř].*")).count();
        assertThat(Corpus.europarlLanguages().get("cs")).isGreaterThan(250);
        assertThat(slovakOnly).isZero();
    }
}
