package validate

import (
	"sort"

	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// CheckSet runs the checks that span records: unique child ids and
// references between records. It always runs over the whole set.
func CheckSet(files []*record.File, ds *record.Dataset, opt Options) []diag.Diagnostic {
	var out []diag.Diagnostic
	add := func(f *record.File, check, ptr string, msg, hint i18n.Text) {
		line, col := f.Position(ptr)
		out = append(out, diag.Diagnostic{File: f.Path, Line: line, Column: col, Check: check, Path: ptr, Message: msg, Hint: hint})
	}
	hasConfig := false
	for _, f := range files {
		if f.Kind == record.KindConfig {
			hasConfig = true
		}
	}
	cfg := ds.Config
	if cfg == nil {
		if !hasConfig {
			out = append(out, diag.Diagnostic{File: "care.yaml", Check: "config",
				Message: i18n.T("缺少 care.yaml", "care.yaml is missing"),
				Hint:    i18n.T("用 care init 创建一个", "create one with care init")})
		}
		// A care.yaml that could not be parsed has its own diagnostic;
		// references cannot be checked without it.
		cfg = &record.Config{}
	}
	staff := map[string]bool{}
	for _, s := range cfg.Staff {
		staff[s.ID] = true
	}
	classes := map[string]bool{}
	var classIDs []string
	for _, k := range cfg.Classes {
		classes[k.ID] = true
		classIDs = append(classIDs, k.ID)
	}
	sids := staffIDs(cfg)
	byID := map[string][]*record.Child{}
	var childIDs []string
	for _, c := range ds.Children {
		if c.ID == "" {
			continue
		}
		if len(byID[c.ID]) == 0 {
			childIDs = append(childIDs, c.ID)
		}
		byID[c.ID] = append(byID[c.ID], c)
	}
	sort.Strings(childIDs)
	for _, id := range childIDs {
		cs := byID[id]
		if len(cs) < 2 {
			continue
		}
		for _, c := range cs {
			others := ""
			for _, o := range cs {
				if o != c {
					if others != "" {
						others += ", "
					}
					others += o.File.Path
				}
			}
			add(c.File, CheckUnique, "/id", i18n.Tf("儿童 id %q 重复，另见 %s", "child id %q is used more than once; see also %s", id, others),
				i18n.T("每个儿童只建一份档案；删除重复的文件或改正 id", "keep one file per child; remove the duplicate or correct the id"))
		}
	}
	if ds.Config != nil {
		for _, c := range ds.Children {
			if c.Class != "" && !classes[c.Class] {
				add(c.File, CheckRef, "/class", i18n.Tf("班级 %q 不在 care.yaml 的 classes 中", "class %q is not among the classes in care.yaml", c.Class), suggest(c.Class, classIDs))
			}
		}
	}
	childRef := func(f *record.File, id string) {
		if id != "" && len(byID[id]) == 0 {
			add(f, CheckRef, "/child", i18n.Tf("找不到儿童 %q 的档案", "no child with id %q", id), suggest(id, childIDs))
		}
	}
	for _, p := range ds.Pairings {
		childRef(p.File, p.Child)
		if ds.Config != nil && p.Role == "teacher" && p.Mentor != "" && !staff[p.Mentor] {
			add(p.File, CheckRef, "/mentor", i18n.Tf("帮扶教师 %q 不在 staff 名单中", "mentor %q is not in the staff list", p.Mentor), suggest(p.Mentor, sids))
		}
	}
	for _, t := range ds.Talks {
		childRef(t.File, t.Child)
		if ds.Config != nil && t.By != "" && !staff[t.By] {
			add(t.File, CheckRef, "/by", i18n.Tf("记录人 %q 不在 staff 名单中", "by %q is not in the staff list", t.By), suggest(t.By, sids))
		}
	}
	return out
}
