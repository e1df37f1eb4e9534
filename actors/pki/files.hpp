#pragma once
// Private to actors/pki: reading the PKI files, and replacing them so that a
// crash leaves either the old file or the new one, never a torn one:
//
//   write_temp(PATH.tmp-PID, mode)   O_CREAT|O_EXCL, write, fsync, close
//   replace(PATH.tmp-PID, PATH)      rename, fsync the directory
//
// The directory fsync orders one replace before the next, which is what
// lets ensure_cluster_pki rename a certificate strictly after its key.

#include <sys/types.h>

#include <optional>
#include <string>

#include "actors/pki/pki.hpp"

namespace berth::pki {

/// The file's bytes; nullopt (inside the result) when it does not exist.
/// Other failures (permissions, a directory) are errors naming the path.
result<std::optional<std::string>> read_if_exists(const std::string& path);

/// PATH's temporary name, unique to this process.
std::string temp_name_for(const std::string& path);

/// Creates `temp` afresh with exactly `mode` (a stale file of that name, left
/// by a crashed process with the same pid, is removed first), writes `bytes`
/// and fsyncs. nullopt = done, else why not; a partial file is removed.
std::optional<std::string> write_temp(const std::string& temp, const std::string& bytes, mode_t mode);

/// Renames `temp` over `path` and fsyncs the directory holding them.
std::optional<std::string> replace(const std::string& temp, const std::string& path);

/// Removes `path` (absent is fine) and fsyncs its directory.
std::optional<std::string> remove_durably(const std::string& path);

/// write_temp + replace: `path` holds either its old bytes or `bytes`.
std::optional<std::string> write_atomically(const std::string& path, const std::string& bytes, mode_t mode);

/// Creates `dir` (and its parents) with mode 0700 when missing.
std::optional<std::string> ensure_directory(const std::string& dir);

}  // namespace berth::pki
