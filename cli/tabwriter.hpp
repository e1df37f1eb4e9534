#pragma once
// Column layout exactly as Go's text/tabwriter does it, which is what kubectl
// prints through: `get` tables (min width 6, padding 3) and `describe`
// (min width 0, padding 2). Pure.
//
// A line is a list of cells; every cell but the last is "tab-terminated" and
// takes part in a column; the last is trailing text. A column block is a run
// of consecutive lines that all have a terminated cell in that column, and
// each block is as wide as its widest cell plus padding (at least the min
// width) — so describe's "Name:\tweb" lines align among themselves and an
// indented sub-section starts a new alignment.

#include <cstddef>
#include <string>
#include <vector>

namespace berth::cli {

using cell_line = std::vector<std::string>;
using cell_lines = std::vector<cell_line>;

/// Lays out `lines`, each ending in '\n'.
std::string tab_layout(const cell_lines& lines, std::size_t min_width, std::size_t padding);

inline constexpr std::size_t k_table_min_width = 6;
inline constexpr std::size_t k_table_padding = 3;

/// kubectl get's layout of a header and rows.
std::string table_layout(const cell_lines& lines);

/// The column widths table_layout gives a table whose lines all have the same
/// number of cells (for `get -w`, whose later rows keep the table's columns).
std::vector<std::size_t> table_widths(const cell_lines& lines);

/// One more row laid out on `widths` (a wider cell pushes the rest right).
std::string table_row(const cell_line& row, const std::vector<std::size_t>& widths);

/// Display width: UTF-8 code points.
std::size_t text_width(const std::string& s);

}  // namespace berth::cli
