package render

import (
	"fmt"
	"io"
)

// HTML writes the report as one self-contained HTML page.
func (r *Report) HTML(w io.Writer) error {
	return fmt.Errorf("html output is not available yet")
}
