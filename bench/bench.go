// Package bench holds care's benchmarks at town scale (go test -bench) and
// the tools around them: bench/gen writes a synthetic repository, bench/floor
// is the floor every YAML tool pays (read and parse, nothing else), and
// bench/run times care against the floor and ajv-cli and writes
// docs/performance.md.
//
// This file holds what bench/gen and the benchmarks share: writing a
// generated repository, with or without its git history.
package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/care-tool/care/internal/synth"
)

// Write generates the repository described by opt into dir. With history,
// dir becomes a git repository whose branch main holds one commit per week
// (see synth.Repo.Commits), dated with the week's end, and whose work tree
// and index match the last commit.
//
// It runs git itself, which the care packages never do outside gitrepo:
// this is test tooling, and fast-import is the only quick way to write
// forty weeks of history.
func Write(dir string, opt synth.Options, history bool) (*synth.Repo, error) {
	g, err := synth.New(opt)
	if err != nil {
		return nil, err
	}
	if !history {
		return g, g.Write(dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := git(dir, nil, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	var stream bytes.Buffer
	if err := g.History(&stream, "main"); err != nil {
		return nil, err
	}
	if err := git(dir, &stream, "fast-import", "--quiet"); err != nil {
		return nil, err
	}
	if err := git(dir, nil, "reset", "-q", "--hard", "main"); err != nil {
		return nil, err
	}
	return g, nil
}

func git(dir string, stdin *bytes.Buffer, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
