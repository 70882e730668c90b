package indicator

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// blank reports whether s is blank: empty or white space alone (Unicode
// White_Space, as strings.TrimSpace: ASCII spaces, tabs and line breaks, the
// ideographic space U+3000, no-break space U+00A0, ...). Missing and null
// values decode to "".
func blank(s string) bool {
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b != ' ' && (b < '\t' || b > '\r') { // \t \n \v \f \r
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			return false
		}
		i += n
	}
	return true
}

// isSpace is unicode.IsSpace, quick for the CJK text that most fields hold.
func isSpace(r rune) bool {
	if r <= 0xff {
		return unicode.IsSpace(r)
	}
	switch {
	case r == 0x1680, 0x2000 <= r && r <= 0x200a, r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}

// Complete returns the JSON-style paths of the fields that keep c's file from
// being complete (建档完整), in file order: "name", "gender", "birth_date",
// "class", "address", "health"; "parents" when there is no parent, else
// "parents[i].name", "parents[i].relation", "parents[i].phone" and
// "parents[i].work_address" (i 0-based); "guardian" when there is no
// guardian, else "guardian.name", "guardian.relation", "guardian.phone",
// "guardian.address", "guardian.occupation", "guardian.age" and
// "guardian.health". A field that is missing, null, "" or white space alone
// is blank. An empty result means the file is complete.
func Complete(c *record.Child) (missing []string) {
	if c == nil {
		return nil
	}
	add := func(path string, isBlank bool) {
		if isBlank {
			missing = append(missing, path)
		}
	}
	add("name", blank(c.Name))
	add("gender", blank(c.Gender))
	add("birth_date", c.BirthDate == 0)
	add("class", blank(c.Class))
	add("address", blank(c.Address))
	add("health", blank(c.Health))
	if len(c.Parents) == 0 {
		missing = append(missing, "parents")
	}
	for i, p := range c.Parents {
		for _, f := range [...]struct {
			name  string
			value string
		}{{"name", p.Name}, {"relation", p.Relation}, {"phone", p.Phone}, {"work_address", p.WorkAddress}} {
			if blank(f.value) {
				missing = append(missing, "parents["+strconv.Itoa(i)+"]."+f.name)
			}
		}
	}
	g := c.Guardian
	if g == nil {
		return append(missing, "guardian")
	}
	add("guardian.name", blank(g.Name))
	add("guardian.relation", blank(g.Relation))
	add("guardian.phone", blank(g.Phone))
	add("guardian.address", blank(g.Address))
	add("guardian.occupation", blank(g.Occupation))
	add("guardian.age", g.Age == nil)
	add("guardian.health", blank(g.Health))
	return missing
}

var fieldZh = map[string]string{
	"name":                "姓名",
	"gender":              "性别",
	"birth_date":          "出生日期",
	"class":               "班级",
	"address":             "家庭住址",
	"health":              "身体状况",
	"parents":             "外出务工父母",
	"guardian":            "监护人",
	"guardian.name":       "监护人姓名",
	"guardian.relation":   "监护人关系",
	"guardian.phone":      "监护人电话",
	"guardian.address":    "监护人住址",
	"guardian.occupation": "监护人职业",
	"guardian.age":        "监护人年龄",
	"guardian.health":     "监护人身体状况",
}

var parentFieldZh = map[string]string{
	"name":         "姓名",
	"relation":     "关系",
	"phone":        "电话",
	"work_address": "务工地址",
}

// FieldLabelZh returns the Chinese label of a field path as returned by
// Complete, e.g. "监护人电话" for "guardian.phone" and "第1位父母务工地址" for
// "parents[0].work_address"; the path itself when it is not known.
func FieldLabelZh(path string) string {
	if s, ok := fieldZh[path]; ok {
		return s
	}
	if strings.HasPrefix(path, "parents[") {
		if j := strings.Index(path, "]."); j > 0 {
			n, err := strconv.Atoi(path[len("parents["):j])
			if s, ok := parentFieldZh[path[j+2:]]; ok && err == nil {
				return fmt.Sprintf("第%d位父母%s", n+1, s)
			}
		}
	}
	return path
}

// MissingReason says in words which fields are missing, e.g. "guardian.phone
// is missing" / "监护人电话（guardian.phone）未填写".
func MissingReason(missing []string) i18n.Text {
	if len(missing) == 0 {
		return i18n.T("档案完整", "the file is complete")
	}
	zh := make([]string, len(missing))
	for i, p := range missing {
		zh[i] = FieldLabelZh(p) + "（" + p + "）"
	}
	verb := " is missing"
	if len(missing) > 1 {
		verb = " are missing"
	}
	return i18n.T(strings.Join(zh, "、")+"未填写", strings.Join(missing, ", ")+verb)
}
