#include "cli/tabwriter.hpp"

#include <algorithm>

namespace berth::cli {
namespace {

/// Go's tabwriter.format, recursively over columns (see the header).
class layout {
 public:
  layout(const cell_lines& lines, std::size_t min_width, std::size_t padding)
      : lines_(lines), min_width_(min_width), padding_(padding) {}

  std::string run() {
    format(0, lines_.size());
    return std::move(out_);
  }

 private:
  /// Terminated cells of line `i` (all but the last).
  std::size_t terminated(std::size_t i) const { return lines_[i].empty() ? 0 : lines_[i].size() - 1; }

  void write_lines(std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const auto& line = lines_[i];
      for (std::size_t j = 0; j < line.size(); ++j) {
        out_ += line[j];
        if (j < terminated(i) && j < widths_.size()) {
          out_.append(widths_[j] - std::min(widths_[j], text_width(line[j])), ' ');
        }
      }
      out_ += '\n';
    }
  }

  void format(std::size_t line0, std::size_t line1) {
    const std::size_t column = widths_.size();
    for (std::size_t i = line0; i < line1; ++i) {
      if (column >= terminated(i)) continue;
      write_lines(line0, i);
      line0 = i;
      std::size_t width = min_width_;
      for (; i < line1 && column < terminated(i); ++i)
        width = std::max(width, text_width(lines_[i][column]) + padding_);
      widths_.push_back(width);
      format(line0, i);
      widths_.pop_back();
      line0 = i;
    }
    write_lines(line0, line1);
  }

  const cell_lines& lines_;
  std::size_t min_width_;
  std::size_t padding_;
  std::vector<std::size_t> widths_;
  std::string out_;
};

}  // namespace

std::size_t text_width(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  }));
}

std::string tab_layout(const cell_lines& lines, std::size_t min_width, std::size_t padding) {
  return layout(lines, min_width, padding).run();
}

std::string table_layout(const cell_lines& lines) { return tab_layout(lines, k_table_min_width, k_table_padding); }

std::vector<std::size_t> table_widths(const cell_lines& lines) {
  std::vector<std::size_t> widths;
  for (const auto& line : lines) {
    if (widths.size() < line.size()) widths.resize(line.size(), k_table_min_width);
    for (std::size_t j = 0; j + 1 < line.size(); ++j) {
      widths[j] = std::max(widths[j], text_width(line[j]) + k_table_padding);
    }
  }
  return widths;
}

std::string table_row(const cell_line& row, const std::vector<std::size_t>& widths) {
  std::string out;
  for (std::size_t j = 0; j < row.size(); ++j) {
    out += row[j];
    if (j + 1 == row.size()) break;
    std::size_t w = std::max(j < widths.size() ? widths[j] : k_table_min_width, text_width(row[j]) + k_table_padding);
    out.append(w - text_width(row[j]), ' ');
  }
  return out + '\n';
}

}  // namespace berth::cli
