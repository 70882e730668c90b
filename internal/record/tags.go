package record

import (
	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
)

// coreTags are the YAML tags a record may use: the ones plain YAML text
// resolves to, which a user may also write out (!!str 2024031).
var coreTags = map[string]bool{
	"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true,
	"!!timestamp": true, "!!map": true, "!!seq": true, "!!merge": true,
}

// checkTags reports explicit tags that records have no use for (!!binary,
// !!set, !!python/..., local tags such as !foo) and values that do not fit
// the tag written on them (!!int abc), which the readers would otherwise
// take for something they are not.
func checkTags(path string, n *yaml.Node) []diag.Diagnostic {
	var out []diag.Diagnostic
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] || n.Kind == yaml.AliasNode {
			return
		}
		seen[n] = true
		if n.Style&yaml.TaggedStyle != 0 {
			switch {
			case !coreTags[n.Tag]:
				out = append(out, diag.Diagnostic{File: path, Line: n.Line, Column: n.Column, Check: CheckYAML,
					Message: i18n.Tf("记录中不能使用 YAML 标签 %s", "the YAML tag %s has no place in a record", n.Tag),
					Hint:    i18n.T("删除这个标签，直接写出值", "remove the tag and write the value itself")})
			case n.Kind == yaml.ScalarNode && !fitsTag(n):
				out = append(out, diag.Diagnostic{File: path, Line: n.Line, Column: n.Column, Check: CheckYAML,
					Message: i18n.Tf("值与它的标签 %s 不符", "the value does not fit its tag %s", n.Tag),
					Hint:    i18n.T("删除这个标签，直接写出值", "remove the tag and write the value itself")})
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// fitsTag reports whether scalar n, which has an explicit tag, can be read
// as a value of that tag.
func fitsTag(n *yaml.Node) bool {
	switch n.Tag {
	case "!!str", "!!merge":
		return true
	case "!!null":
		switch n.Value {
		case "", "~", "null", "Null", "NULL":
			return true
		}
		return false
	}
	var v any
	return n.Decode(&v) == nil
}
