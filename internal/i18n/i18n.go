// Package i18n holds the two languages care speaks (Chinese and English) and
// the bilingual text type that messages are built from, so that a message can
// be made once and shown in either language.
package i18n

import "fmt"

// Lang is a user interface language.
type Lang string

// The supported languages. Chinese is the default.
const (
	Zh Lang = "zh"
	En Lang = "en"
)

// Parse returns the Lang named by s ("zh", "en", "zh-CN", "en_US", ...) and
// whether s named a supported language.
func Parse(s string) (Lang, bool) {
	switch {
	case s == "":
		return Zh, false
	case len(s) >= 2 && (s[:2] == "zh" || s[:2] == "ZH"):
		return Zh, true
	case len(s) >= 2 && (s[:2] == "en" || s[:2] == "EN"):
		return En, true
	}
	return Zh, false
}

// Pick returns zh or en according to l.
func (l Lang) Pick(zh, en string) string {
	if l == En {
		return en
	}
	return zh
}

// Text is a message in both languages.
type Text struct {
	Zh string `json:"zh,omitempty"`
	En string `json:"en,omitempty"`
}

// T makes a Text.
func T(zh, en string) Text { return Text{Zh: zh, En: en} }

// Tf makes a Text from two format strings that take the same arguments.
func Tf(zh, en string, args ...any) Text {
	return Text{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// In returns the text in language l.
func (t Text) In(l Lang) string {
	if l == En || t.Zh == "" {
		return t.En
	}
	return t.Zh
}

// IsZero reports whether t holds no text.
func (t Text) IsZero() bool { return t.Zh == "" && t.En == "" }
