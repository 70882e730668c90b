package record

import (
	"gopkg.in/yaml.v3"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
)

// flattenMerges applies YAML merge keys ("<<: *anchor", "<<: [*a, *b]")
// in place: each mapping that has one gets the merged entries, at the place
// of the merge key, for the keys it does not set itself (an explicit key wins,
// and among merged mappings the first that has a key wins), and loses the
// merge key. After it, every reader (the schema, the decoders, Locate) sees
// the fields as yaml.v3 would decode them, at the line where they are
// written. Merged value nodes are shared, not copied. A merge of something
// that is not a mapping is reported and dropped.
//
// Parse has bounded the expansion of aliases before, so the work is bounded.
func flattenMerges(path string, n *yaml.Node) []diag.Diagnostic {
	var out []diag.Diagnostic
	state := map[*yaml.Node]int8{} // 1: in progress, 2: done
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		n = resolve(n)
		if n == nil || state[n] != 0 {
			return
		}
		state[n] = 1
		for _, c := range n.Content {
			walk(c)
		}
		if n.Kind == yaml.MappingNode && hasMergeKey(n) {
			explicit := map[string]bool{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := resolve(n.Content[i]); !isMergeKey(k) {
					explicit[k.Value] = true
				}
			}
			added := map[string]bool{}
			content := make([]*yaml.Node, 0, len(n.Content))
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if !isMergeKey(resolve(k)) {
					content = append(content, k, v)
					continue
				}
				var sources []*yaml.Node
				switch rv := resolve(v); {
				case rv != nil && rv.Kind == yaml.MappingNode:
					sources = []*yaml.Node{rv}
				case rv != nil && rv.Kind == yaml.SequenceNode:
					for _, item := range rv.Content {
						ri := resolve(item)
						if ri == nil || ri.Kind != yaml.MappingNode {
							sources = nil
							out = append(out, badMerge(path, k))
							break
						}
						sources = append(sources, ri)
					}
				default:
					out = append(out, badMerge(path, k))
				}
				for _, s := range sources {
					if state[s] == 1 {
						continue // a merge of itself: the alias check refuses it before
					}
					walk(s)
					for j := 0; j+1 < len(s.Content); j += 2 {
						sk := resolve(s.Content[j])
						if sk == nil || explicit[sk.Value] || added[sk.Value] {
							continue
						}
						added[sk.Value] = true
						content = append(content, s.Content[j], s.Content[j+1])
					}
				}
			}
			n.Content = content
		}
		state[n] = 2
	}
	walk(n)
	return out
}

func badMerge(path string, k *yaml.Node) diag.Diagnostic {
	return diag.Diagnostic{File: path, Line: k.Line, Column: k.Column, Check: CheckYAML,
		Message: i18n.T("合并键 << 后面应是一个映射（*锚点）或映射的列表", "a merge key << must be followed by a mapping (*anchor) or a list of mappings"),
		Hint:    i18n.T("记录中不需要合并键；请直接写出各个字段", "records need no merge keys; write the fields out")}
}

func isMergeKey(k *yaml.Node) bool {
	return k != nil && k.Kind == yaml.ScalarNode && k.Tag == "!!merge"
}

func hasMergeKey(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMergeKey(resolve(n.Content[i])) {
			return true
		}
	}
	return false
}
