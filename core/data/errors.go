package data

import (
	"errors"
	"fmt"
	"io"
)

// FormatError reports an idx file (or stream) that is not what it claims to be.
// Offset is the position in the uncompressed idx stream where reading stopped:
// just past the field found bad, or where the data ran out.
type FormatError struct {
	File   string // file name, "images"/"labels" for ReadSet's streams, or "" for a bare reader
	Offset int64
	Reason string
	Err    error // underlying cause (e.g. a gzip error), if any
}

func (e *FormatError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("mnist: offset %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("mnist: %s: offset %d: %s", e.File, e.Offset, e.Reason)
}

func (e *FormatError) Unwrap() error { return e.Err }

// withFile names the file in a FormatError that does not name one yet,
// so the low-level readers need not know where their bytes come from.
func withFile(err error, name string) error {
	var fe *FormatError
	if errors.As(err, &fe) && fe.File == "" {
		fe.File = name
	}
	return err
}

// gzipError marks errors raised by the gzip decoder, so that a corrupt
// compressed stream is reported as a FormatError and not as an I/O failure.
type gzipError struct{ err error }

func (e gzipError) Error() string { return e.err.Error() }
func (e gzipError) Unwrap() error { return e.err }

// readError turns a failed read at offset into the right kind of error:
// running out of bytes and gzip corruption are format errors, anything else
// (a failing disk, a closed pipe) is passed on as an I/O error.
func readError(err error, offset int64, what string, want, got int64) error {
	var gz gzipError
	switch {
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &FormatError{Offset: offset, Reason: fmt.Sprintf("truncated %s: want %d bytes, got %d", what, want, got)}
	case errors.As(err, &gz):
		return corruptGzip(offset, gz.err)
	default:
		return fmt.Errorf("mnist: offset %d: reading %s: %w", offset, what, err)
	}
}

func corruptGzip(offset int64, err error) *FormatError {
	return &FormatError{Offset: offset, Reason: "corrupt gzip: " + err.Error(), Err: err}
}
