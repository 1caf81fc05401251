package extract

import (
	"strings"
)

// boilerplatePhrases are whole short blocks (a heading, a one-line
// paragraph, a list item) that are boilerplate inside an article's
// container: sharing, printing, sources, navigation. A block matches when
// its text, lower-cased and without trailing punctuation, is the phrase,
// or starts with it followed by ':' or, for a block of at most 60 bytes,
// by a space. The value is pRelated for phrases that introduce other
// articles or the comments: a heading saying so drops what follows it too.
var boilerplatePhrases = map[string]uint8{}

const (
	pLine uint8 = 1 + iota
	pRelated
)

func init() {
	for _, p := range strings.Split(linePhrases, "|") {
		boilerplatePhrases[p] = pLine
	}
	for _, p := range strings.Split(relatedPhrases, "|") {
		boilerplatePhrases[p] = pRelated
	}
}

const linePhrases = "" +
	// English
	"read more|share|share this|share this article|share this post|share on facebook|" +
	"share on twitter|tweet|print|email|leave a comment|leave a reply|no comments|about the author|" +
	"subscribe|sign up for our newsletter|newsletter|advertisement|sponsored|tags|filed under|" +
	"posted in|previous post|next post|previous article|next article|back to top|like this|" +
	"facebook|twitter|whatsapp|pinterest|linkedin|follow|follow us|" +
	// German
	"weiterlesen|mehr lesen|teilen|artikel teilen|diesen artikel teilen|beitrag teilen|drucken|" +
	"kommentar schreiben|keine kommentare|kommentieren|über den autor|anzeige|werbung|" +
	"zum newsletter anmelden|zurück|zur übersicht|zurück zur übersicht|nach oben|artikel bewerten|" +
	"quellen|quelle|quellenangaben|schlagworte|weitere informationen|mehr informationen|bildquelle|" +
	"titelbild|foto|fotos|" +
	// French, Spanish, Portuguese, Italian, Polish, Dutch
	"partager|crédits photos|crédit photo|compartir|puedes ver|condividi|udostępnij|źródło|delen"

const relatedPhrases = "" +
	"related|related posts|related articles|related stories|related content|read also|" +
	"more on this topic|more on this|more from|you might also like|you may also like|recommended|" +
	"recommended for you|most popular|most read|trending|comments|" +
	"mehr zum thema|weitere artikel|weitere artikel zum thema|weitere beiträge|ähnliche beiträge|" +
	"ähnliche artikel|das könnte sie auch interessieren|das könnte dich auch interessieren|" +
	"auch interessant|lesen sie auch|lies auch|zum weiterlesen|empfehlungen|schon gelesen|" +
	"kommentare|verwandte themen|verwandte themenbereiche|mehr themen|lust auf mehr|" +
	"à lire aussi|a lire aussi|lire aussi|vous aimerez aussi|sur le même sujet|commentaires|" +
	"articles similaires|voir aussi|le puede interesar|te puede interesar|lea también|lee también|" +
	"noticias relacionadas|comentarios|leia também|veja também|leggi anche|articoli correlati|" +
	"commenti|czytaj też|czytaj także|zobacz też|zobacz także|komentarze|lees ook|gerelateerd"

// readingTime marks a byline's reading-time estimate.
var readingTime = []string{"min read", "minute read", "minutes read", "min. lesezeit", "minuten lesezeit", "min de lecture", "minutos de lectura", "minut czytania", "min di lettura"}

// boilerplateLine tells whether a short block's text is one of
// boilerplatePhrases, and which kind (0 when none).
func boilerplateLine(s string) uint8 {
	if len(s) > 80 {
		return 0
	}
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, " :.!?…»\u00a0")
	if k := boilerplatePhrases[s]; k != 0 {
		return k
	}
	if len(s) <= 60 {
		for _, r := range readingTime {
			if strings.Contains(s, r) {
				return pLine // "6 min read · Mar 9, 2021"
			}
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ':' && (s[i] != ' ' || len(s) > 60) {
			continue
		}
		if k := boilerplatePhrases[strings.TrimSpace(s[:i])]; k != 0 {
			return k
		}
	}
	return 0
}
