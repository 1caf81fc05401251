package extract

import (
	"strings"
)

// boilerplatePhrases are whole short blocks (a heading, a one-line
// paragraph, a list item) that introduce or are boilerplate inside an
// article's container: related links, sharing, comments, print, sources.
// A block matches when its text, lower-cased and without trailing
// punctuation, is the phrase, or starts with it followed by ':' or, for a
// block of at most 60 bytes, by a space.
var boilerplatePhrases = map[string]bool{}

func init() {
	for _, p := range strings.Split(boilerplateList, "|") {
		boilerplatePhrases[p] = true
	}
}

const boilerplateList = "" +
	// English
	"related|related posts|related articles|related stories|related content|read more|read also|" +
	"more on this topic|more on this|more from|you might also like|you may also like|recommended|" +
	"recommended for you|most popular|most read|trending|share|share this|share this article|" +
	"share this post|share on facebook|share on twitter|tweet|print|email|comments|leave a comment|" +
	"leave a reply|no comments|about the author|subscribe|sign up for our newsletter|newsletter|" +
	"advertisement|sponsored|tags|filed under|posted in|previous post|next post|previous article|" +
	"next article|back to top|like this|facebook|twitter|whatsapp|pinterest|linkedin|" +
	// German
	"mehr zum thema|weitere artikel|weitere artikel zum thema|weitere beiträge|ähnliche beiträge|" +
	"ähnliche artikel|das könnte sie auch interessieren|das könnte dich auch interessieren|" +
	"auch interessant|lesen sie auch|lies auch|zum weiterlesen|weiterlesen|mehr lesen|empfehlungen|" +
	"schon gelesen|teilen|artikel teilen|diesen artikel teilen|beitrag teilen|drucken|kommentare|" +
	"kommentar schreiben|keine kommentare|kommentieren|über den autor|anzeige|werbung|" +
	"zum newsletter anmelden|verwandte themen|verwandte themenbereiche|zurück|zur übersicht|" +
	"zurück zur übersicht|nach oben|artikel bewerten|quellen|quelle|quellenangaben|schlagworte|" +
	"mehr themen|lust auf mehr|weitere informationen|mehr informationen|bildquelle|titelbild|foto|fotos|" +
	// French
	"à lire aussi|a lire aussi|lire aussi|vous aimerez aussi|sur le même sujet|partager|commentaires|" +
	"articles similaires|voir aussi|crédits photos|crédit photo|" +
	// Spanish, Portuguese, Italian
	"le puede interesar|te puede interesar|lea también|lee también|noticias relacionadas|compartir|" +
	"comentarios|puedes ver|leia também|veja também|leggi anche|articoli correlati|condividi|commenti|" +
	// Polish, Dutch
	"czytaj też|czytaj także|zobacz też|zobacz także|udostępnij|komentarze|źródło|lees ook|gerelateerd|delen"

// isBoilerplateLine tells whether a short block's text is one of
// boilerplatePhrases.
func isBoilerplateLine(s string) bool {
	if len(s) > 80 {
		return false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, " :.!?…»\u00a0")
	if boilerplatePhrases[s] {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ':' && (s[i] != ' ' || len(s) > 60) {
			continue
		}
		if boilerplatePhrases[strings.TrimSpace(s[:i])] {
			return true
		}
	}
	return false
}
