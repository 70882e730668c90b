package record

// TablePointers are the JSON pointers whose positions Parse records in a
// File's position table: the top of the document and the fields that the
// cross-record checks (unique ids, references) point at. With the table,
// Position and KeyPosition still answer for these pointers once the
// yaml.Node tree is gone: a File read back from the cache of earlier runs,
// or one whose Doc was dropped after the per-file checks to save memory.
var TablePointers = [...]string{"", "/id", "/class", "/child", "/by", "/mentor"}

// PosTable holds, for each of TablePointers in order, what Position and
// KeyPosition return for it.
type PosTable [len(TablePointers)]Pos

// Pos is the answer of Position (Line, Col) and KeyPosition (KeyLine,
// KeyCol) for one pointer.
type Pos struct {
	Line, Col, KeyLine, KeyCol int32
}

// tableSegs are TablePointers split into segments, once.
var tableSegs = func() (segs [len(TablePointers)][]string) {
	for i, p := range TablePointers {
		segs[i] = SplitPointer(p)
	}
	return
}()

// newPosTable fills the table of f from its Doc, with one Locate per
// pointer giving what Position and KeyPosition would.
func newPosTable(f *File) *PosTable {
	var t PosTable
	for i, segs := range tableSegs {
		v, k, found := Locate(f.Doc, segs)
		line, col := f.Doc.Line, f.Doc.Column
		if v != nil {
			line, col = v.Line, v.Column
		}
		kl, kc := line, col
		if found && k != nil {
			kl, kc = k.Line, k.Column
		}
		t[i] = Pos{Line: int32(line), Col: int32(col), KeyLine: int32(kl), KeyCol: int32(kc)}
	}
	return &t
}

// tablePosition answers Position (key false) or KeyPosition (key true) from
// the table of f, which has no Doc; zero when p is not in the table.
func (f *File) tablePosition(p string, key bool) (line, col int) {
	if f == nil || f.Pos == nil {
		return 0, 0
	}
	for i, tp := range TablePointers {
		if tp == p {
			e := f.Pos[i]
			if key {
				return int(e.KeyLine), int(e.KeyCol)
			}
			return int(e.Line), int(e.Col)
		}
	}
	return 0, 0
}
