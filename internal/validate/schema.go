package validate

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/schema"
)

// CheckSchema and the other check names are stable: they appear in output
// and users may filter on them.
const (
	CheckSchema       = "schema"
	CheckUnknownField = "unknown-field"
	CheckDate         = "date"
	CheckFuture       = "future-date"
	CheckDateOrder    = "date-order"
	CheckTransfer     = "transfer"
	CheckIDNumber     = "id-number"
	CheckPhone        = "phone"
	CheckID           = "id"
	CheckUnique       = "unique"
	CheckRef          = "ref"
	CheckTalkMonth    = "talk-month"
	CheckTerm         = "term"
)

type compiled struct {
	schemas map[record.Kind]*jsonschema.Schema
	docs    map[record.Kind]any          // raw schema documents, for field suggestions
	quick   map[record.Kind]*quickSchema // what certainly passes, checked first (fastschema.go)
	err     error
}

var (
	schemasOnce sync.Once
	schemas     compiled
)

func schemaFile(k record.Kind) string { return k.String() + ".schema.json" }

func loadSchemas() compiled {
	schemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		schemas = compiled{schemas: map[record.Kind]*jsonschema.Schema{}, docs: map[record.Kind]any{}, quick: map[record.Kind]*quickSchema{}}
		kinds := []record.Kind{record.KindConfig, record.KindChild, record.KindPairing, record.KindTalk}
		for _, k := range kinds {
			data, err := schema.Read(schemaFile(k))
			if err != nil {
				schemas.err = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				schemas.err = fmt.Errorf("%s: %w", schemaFile(k), err)
				return
			}
			schemas.docs[k] = doc
			if err := c.AddResource(schemaFile(k), doc); err != nil {
				schemas.err = err
				return
			}
		}
		for _, k := range kinds {
			s, err := c.Compile(schemaFile(k))
			if err != nil {
				schemas.err = err
				return
			}
			schemas.schemas[k] = s
			schemas.quick[k] = compileQuick(schemas.docs[k])
		}
	})
	return schemas
}

var enPrinter = message.NewPrinter(language.English)

// checkSchema validates f against the schema of its kind and turns each
// leaf error into a diagnostic at the line and column of the offending node.
func checkSchema(f *record.File, opt Options) []diag.Diagnostic {
	cs := loadSchemas()
	if cs.err != nil {
		return []diag.Diagnostic{{File: f.Path, Check: CheckSchema,
			Message: i18n.Tf("内置的模式有误：%v", "built-in schema is broken: %v", cs.err)}}
	}
	s := cs.schemas[f.Kind]
	if s == nil {
		return nil
	}
	if q := cs.quick[f.Kind]; q != nil && q.accepts(f.Doc) {
		return nil
	}
	err := s.Validate(record.ToValue(f.Doc))
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []diag.Diagnostic{{File: f.Path, Check: CheckSchema, Message: i18n.Tf("%v", "%v", err)}}
	}
	var leaves []*jsonschema.ValidationError
	collectLeaves(ve, &leaves)
	var out []diag.Diagnostic
	seen := map[string]bool{}
	for _, e := range leaves {
		for _, d := range describeSchemaError(f, e, cs.docs[f.Kind], opt) {
			key := fmt.Sprint(d.Line, d.Column, d.Path, d.Message.En)
			if !seen[key] {
				seen[key] = true
				out = append(out, d)
			}
		}
	}
	return out
}

func collectLeaves(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		*out = append(*out, e)
		return
	}
	for _, c := range e.Causes {
		collectLeaves(c, out)
	}
}

// FieldName turns a JSON pointer into the dotted name users read:
// /parents/0/phone -> parents[0].phone.
func FieldName(ptr string) string {
	var b strings.Builder
	for _, s := range record.SplitPointer(ptr) {
		if s != "" && strings.Trim(s, "0123456789") == "" {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "(top level)"
	}
	return b.String()
}

func describeSchemaError(f *record.File, e *jsonschema.ValidationError, schemaDoc any, opt Options) []diag.Diagnostic {
	ptr := record.Pointer(e.InstanceLocation...)
	name := FieldName(ptr)
	line, col := f.Position(ptr)
	mk := func(check, p string, line, col int, msg, hint i18n.Text) diag.Diagnostic {
		return diag.Diagnostic{File: f.Path, Line: line, Column: col, Check: check, Path: p, Message: msg, Hint: hint}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []diag.Diagnostic
		for _, m := range k.Missing {
			p := ptr + record.Pointer(m)
			where := i18n.Tf("缺少必填字段 %s", "required field %s is missing", FieldName(p))
			hint := i18n.Tf("添加一行 %s: …", "add a line %s: …", m)
			if p == "/enrolment" {
				hint = enrolmentHint
			}
			out = append(out, mk(CheckSchema, p, line, col, where, hint))
		}
		return out
	case *kind.AdditionalProperties:
		var out []diag.Diagnostic
		allowed := allowedProps(schemaDoc, e.InstanceLocation)
		for _, p := range k.Properties {
			kp := ptr + record.Pointer(p)
			kl, kc := f.KeyPosition(kp)
			if p == "" {
				// a key that is a list or a mapping ("? [a, b]"): its text is empty
				if k := complexKey(f, ptr); k != nil {
					out = append(out, mk(CheckUnknownField, kp, k.Line, k.Column,
						i18n.T("字段名应是文字，而不是列表或映射", "a field name must be text, not a list or a mapping"),
						i18n.T("删除这一项，或写成“字段: 值”", "remove the entry or write it as \"field: value\"")))
					continue
				}
			}
			// the field's name: a key of digits ("1:") is a name, not a list index
			fname := p
			if ptr != "" {
				fname = FieldName(ptr) + "." + p
			}
			hint := i18n.T("删除这个字段，或检查拼写", "remove the field or check its spelling")
			if strings.TrimLeft(p, "\u3000\u00a0 ") != p {
				hint = i18n.T("这一行用了全角空格或不换行空格缩进；YAML 只能用普通空格", "this line is indented with a full-width or no-break space; YAML needs ordinary spaces")
			} else if s := nearest(p, allowed); s != "" {
				hint = i18n.Tf("是不是 %s？", "did you mean %s?", s)
			} else if len(allowed) > 0 {
				hint = i18n.Tf("这里允许的字段：%s", "fields allowed here: %s", strings.Join(allowed, ", "))
			}
			out = append(out, mk(CheckUnknownField, kp, kl, kc,
				i18n.Tf("未知字段 %s", "unknown field %s", fname), hint))
		}
		return out
	case *kind.Type:
		got := typeName(k.Got)
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			if w != "null" {
				want = append(want, w)
			}
		}
		if contains(want, "string") && contains(want, "integer") && len(want) == 2 {
			// an id: a bare number is accepted, but text is what to write
			want = []string{"string"}
		}
		msg := i18n.Text{
			Zh: fmt.Sprintf("%s 应为%s，而不是%s", name, joinZh(want, typeNameZh), typeNameZh(got)),
			En: fmt.Sprintf("%s must be %s, not %s", name, joinEn(want, typeNameEn), typeNameEn(got)),
		}
		var hint i18n.Text
		last := lastSeg(e.InstanceLocation)
		index := last != "" && strings.Trim(last, "0123456789") == ""
		if got == "null" {
			msg = i18n.Tf("%s 不能为空", "%s must not be empty", name)
		}
		if isDateField(last) && (got == "null" || got == "number" || got == "integer") {
			hint = i18n.T("日期写成 YYYY-MM-DD，例如 2026-09-01", "write dates as YYYY-MM-DD, e.g. 2026-09-01")
		} else if ptr == "/enrolment" && got == "null" {
			hint = enrolmentHint
		} else if got == "null" && index {
			hint = i18n.T("填写这一项，或删除这个空的“- ”", "fill in the item or remove the empty \"- \"")
		} else if got == "null" {
			hint = i18n.T("填写这个必填字段", "fill in this required field")
		} else if contains(want, "string") && (got == "number" || got == "integer") && (last == "phone" || last == "id_number") {
			hint = i18n.Tf("加上引号写成文本，例如 %s: \"%s\"（不加引号时开头的 0 和结尾的 X 会丢失）", "write it in quotes, e.g. %s: \"%s\" (without quotes, leading zeros and a trailing X are lost)", last, exampleFor(last))
		} else if contains(want, "string") && (got == "number" || got == "integer") {
			v, _ := valueAt(f, ptr).(string)
			if index {
				hint = i18n.Tf("加上引号写成文本，例如 - \"%s\"", "write it in quotes, e.g. - \"%s\"", v)
			} else {
				hint = i18n.Tf("加上引号写成文本，例如 %s: \"%s\"", "write it in quotes, e.g. %s: \"%s\"", last, v)
			}
		} else if contains(want, "string") {
			hint = i18n.T("写成文本（需要时加引号）", "write it as text (in quotes if need be)")
		} else if contains(want, "boolean") {
			hint = i18n.T("写 true 或 false", "write true or false")
		} else if contains(want, "integer") || contains(want, "number") {
			hint = i18n.T("写一个不加引号的数字", "write a number without quotes")
		} else if contains(want, "array") {
			hint = i18n.T("写成列表：每项一行，以“- ”开头", "write a list: one item per line, starting with \"- \"")
		} else if contains(want, "object") {
			hint = i18n.T("写成缩进的“字段: 值”若干行", "write indented \"field: value\" lines")
		}
		check := CheckSchema
		switch lastSeg(e.InstanceLocation) {
		case "phone":
			check = CheckPhone
		case "id_number":
			check = CheckIDNumber
		}
		return []diag.Diagnostic{mk(check, ptr, line, col, msg, hint)}
	case *kind.Enum:
		var allowed []string
		for _, w := range k.Want {
			if s, ok := w.(string); ok && s != "" {
				allowed = append(allowed, s)
			}
		}
		got := fmt.Sprint(k.Got)
		hint := i18n.Tf("可选值：%s", "allowed values: %s", strings.Join(allowed, ", "))
		if s := nearest(got, allowed); s != "" {
			hint = i18n.Tf("是不是 %s？可选值：%s", "did you mean %s? allowed values: %s", s, strings.Join(allowed, ", "))
		}
		msg := i18n.Tf("%s 的值 %q 不在允许的范围内", "%s has value %q, which is not allowed", name, got)
		if s, ok := k.Got.(string); ok && strings.TrimSpace(s) == "" {
			msg = i18n.Tf("%s 不能为空", "%s must not be blank", name)
		}
		return []diag.Diagnostic{mk(CheckSchema, ptr, line, col, msg, hint)}
	case *kind.Const:
		return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
			i18n.Tf("%s 必须是 %v", "%s must be %v", name, k.Want), i18n.Text{})}
	case *kind.MinLength, *kind.Pattern:
		if s, ok := valueAt(f, ptr).(string); ok && strings.TrimSpace(s) == "" {
			return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
				i18n.Tf("%s 不能为空", "%s must not be blank", name), i18n.T("填写这个必填字段", "fill in this required field"))}
		}
		if strings.HasSuffix(ptr, "/cutoff") {
			return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
				i18n.Tf("%s 应写成“月-日”（MM-DD）", "%s must be written month-day (MM-DD)", name), formatHint(ptr))}
		}
		if p, ok := k.(*kind.Pattern); ok {
			return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
				i18n.Tf("%s 的格式不对（应符合 %s）", "%s is not in the right form (must match %s)", name, p.Want), formatHint(ptr))}
		}
	case *kind.MinItems:
		return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
			i18n.Tf("%s 至少要有 %d 项", "%s needs at least %d items", name, k.Want), i18n.Text{})}
	case *kind.Minimum:
		w, _ := k.Want.Float64()
		return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
			i18n.Tf("%s 不能小于 %v", "%s must not be less than %v", name, w), i18n.Text{})}
	case *kind.Maximum:
		w, _ := k.Want.Float64()
		return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
			i18n.Tf("%s 不能大于 %v", "%s must not be greater than %v", name, w), i18n.Text{})}
	}
	msg := e.ErrorKind.LocalizedString(enPrinter)
	return []diag.Diagnostic{mk(CheckSchema, ptr, line, col,
		i18n.Tf("%s：%s", "%s: %s", name, msg), i18n.Text{})}
}

var enrolmentHint = i18n.T("按日期列出学籍变动；还没有入学的孩子写 enrolment: []", "list the enrolment events by date; for a child not yet in school write enrolment: []")

// complexKey returns the key node at ptr's mapping that is not a scalar, if any.
func complexKey(f *record.File, ptr string) *yaml.Node {
	m, _, ok := record.Locate(f.Doc, record.SplitPointer(ptr))
	if !ok || m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := record.Resolve(m.Content[i]); k != nil && k.Kind != yaml.ScalarNode {
			return k
		}
	}
	return nil
}

func formatHint(ptr string) i18n.Text {
	if strings.HasSuffix(ptr, "/cutoff") {
		return i18n.T("写成带引号的“月-日”，如 \"08-31\"", "write month-day in quotes, e.g. \"08-31\"")
	}
	return i18n.Text{}
}

func exampleFor(field string) string {
	switch field {
	case "id_number":
		return "42900420160512005X"
	case "phone":
		return "13800138000"
	}
	return "2024031"
}

func valueAt(f *record.File, ptr string) any {
	v, _, ok := record.Locate(f.Doc, record.SplitPointer(ptr))
	if !ok || v == nil || v.Kind != yaml.ScalarNode {
		return nil
	}
	return v.Value
}

func typeName(got string) string { return got }

func typeNameZh(t string) string {
	switch t {
	case "string":
		return "文本"
	case "integer":
		return "整数"
	case "number":
		return "数字"
	case "boolean":
		return "true/false"
	case "array":
		return "列表"
	case "object":
		return "“字段: 值”映射"
	case "null":
		return "空值"
	}
	return t
}

func typeNameEn(t string) string {
	switch t {
	case "string":
		return "text"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "boolean":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "a mapping of fields"
	case "null":
		return "empty"
	}
	return t
}

func joinZh(ts []string, f func(string) string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = f(t)
	}
	return strings.Join(parts, "或")
}

func joinEn(ts []string, f func(string) string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = f(t)
	}
	return strings.Join(parts, " or ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// allowedProps returns the property names the schema allows at the instance
// location loc, following "properties" and "items".
func allowedProps(doc any, loc []string) []string {
	cur, _ := doc.(map[string]any)
	for _, seg := range loc {
		if cur == nil {
			return nil
		}
		if props, ok := cur["properties"].(map[string]any); ok {
			if next, ok := props[seg].(map[string]any); ok {
				cur = next
				continue
			}
		}
		if items, ok := cur["items"].(map[string]any); ok {
			cur = items
			continue
		}
		return nil
	}
	if cur == nil {
		return nil
	}
	props, _ := cur["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// nearest returns the candidate closest to s by edit distance, if it is
// close enough to be a likely typo.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len([]rune(s)) > 8 {
		limit = 3
	}
	if bestD <= limit && bestD < len([]rune(s)) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			// a swap of two neighbours ("gaurdian") is one edit
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func lastSeg(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return loc[len(loc)-1]
}

// isDateField reports whether a field name holds a date.
func isDateField(name string) bool {
	switch name {
	case "birth_date", "since", "until", "date", "start", "end":
		return true
	}
	return false
}
