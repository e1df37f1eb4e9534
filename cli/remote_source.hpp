#pragma once
// The debugging commands' source (actors/debug/source.hpp) over berthd's API:
// a journal::journal whose reads are journalRead/journalSnapshot calls, the
// records checked here with the journal's own decoder, and the object index
// asked of berthd. The commands then run the same code as offline.

#include <memory>

#include "actors/debug/source.hpp"
#include "cli/client.hpp"

namespace berth::cli {

/// Borrows `api` (it must outlive the source). The journal's extent (first
/// and last seq, snapshots) is read once here, like a secondary opened now.
/// Throws client_error when berthd cannot be asked.
std::unique_ptr<debug::source> make_remote_source(client& api);

}  // namespace berth::cli
