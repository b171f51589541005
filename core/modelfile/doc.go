// Package modelfile reads and writes latentplay model files: a small,
// versioned, checksummed binary format holding a model's kind, its
// hyperparameters and metadata as JSON, and its weight tensors.
//
// Model files are downloaded, imported from disk and uploaded to the share
// API, so Decode treats its input as hostile: every length is checked against
// the bytes actually present before anything is allocated, and any input
// yields either a *File or a typed error (*FormatError, *ChecksumError or
// *VersionError), never a panic.
//
// # Format, version 1
//
// All integers are little-endian. Offsets are in bytes.
//
//	field           size            notes
//	--------------  --------------  --------------------------------------------
//	magic           8               "LATENTPL"
//	version         uint16          1; a larger value gives *VersionError
//	flags           uint16          reserved, must be 0
//	kind length     uint16          1..64
//	kind            length bytes    printable UTF-8, e.g. "vae"
//	config length   uint32
//	config          length bytes    JSON object (the model's Config)
//	meta length     uint32          0 means no metadata
//	meta            length bytes    JSON object
//	tensor count    uint32          0..4096
//	per tensor:
//	  name length   uint16          1..128
//	  name          length bytes    printable UTF-8, unique within the file
//	  storage       uint8           1 = float32, 2 = float16, 3 = int8
//	  rank          uint8           1..4
//	  dims          uint32 × rank   each ≥ 1, product ≤ 64Mi values
//	  data          4 or 2 × count  row-major; NaN and ±Inf are rejected
//	                or, for int8, float32 × last dim (each column's scale,
//	                finite, ≥ 0) then int8 × count: value = q·scale[column]
//	checksum        uint32          CRC-32 (Castagnoli) of all preceding bytes
//
// Decode checks the magic first (so a foreign file is reported as
// ErrNotModel rather than as corrupt), then the version (so a file from a
// newer latentplay asks for an update), then the checksum, and only then
// parses the body.
package modelfile
