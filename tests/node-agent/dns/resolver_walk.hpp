#pragma once
// The order in which a stub resolver (glibc's res_search) tries names: a name
// with at least `ndots` dots (or a trailing dot) as given first, then with each
// search entry; otherwise with each search entry first, then as given. The
// tests use it to show that the search path of hosts_file.hpp turns every
// short service form into the one name the hosts file holds.

#include <string>
#include <vector>

namespace berth::agent::dns::test {

inline std::vector<std::string> resolver_candidates(const std::string& name, const std::vector<std::string>& search,
                                                    int ndots) {
  if (!name.empty() && name.back() == '.') return {name.substr(0, name.size() - 1)};
  int dots = 0;
  for (char c : name) dots += c == '.' ? 1 : 0;
  std::vector<std::string> out;
  if (dots >= ndots) out.push_back(name);
  for (const std::string& s : search) out.push_back(name + "." + s);
  if (dots < ndots) out.push_back(name);
  return out;
}

}  // namespace berth::agent::dns::test
