// Package schema holds the JSON Schemas (draft 2020-12) of care's records:
// care.schema.json for care.yaml, child.schema.json for children/*.yaml,
// pairing.schema.json for pairings/*.yaml and talk.schema.json for
// talks/*/*.yaml. The files are embedded so that the validator needs no
// network or file access, and are published for editors (VS Code shows their
// bilingual titles and descriptions as hover help).
//
// The schemas check shape only. Real calendar dates, phone and id-number
// formats, references between records and the other domain checks are done
// in Go by the validator.
package schema

import (
	"embed"
	"io/fs"
	"sort"
)

// FS holds the *.schema.json files, at the root of the file system.
//
//go:embed *.schema.json
var FS embed.FS

// Names returns the file names of the embedded schemas, sorted.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// Read returns the content of the embedded schema file name, such as
// "child.schema.json".
func Read(name string) ([]byte, error) {
	return FS.ReadFile(name)
}
