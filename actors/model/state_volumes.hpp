#pragma once
// The fold's rules for persistent volumes and claims (state_volumes.cpp),
// called from apply() (state.cpp). A volume's and a claim's status is the
// fold's, from these rules alone:
//   volume  Available --volumeClaimBound--> Bound --claim removed--> Released
//           Released --volumeRecycled--> Available (claimRef cleared)
//           Released --volumeReclaimFailed--> Failed
//   claim   Pending --volumeClaimBound--> Bound --volume removed--> Lost

#include "actors/model/state.hpp"

namespace berth::model::volume_rules {

apply_outcome create_volume(cluster_state& s, const persistent_volume& given, const event& e);
apply_outcome replace_volume(cluster_state& s, const persistent_volume& given, const event& e);
apply_outcome remove_volume(cluster_state& s, const event& e);
apply_outcome create_claim(cluster_state& s, const persistent_volume_claim& given, const event& e);
apply_outcome replace_claim(cluster_state& s, const persistent_volume_claim& given, const event& e);
apply_outcome remove_claim(cluster_state& s, const event& e);
apply_outcome bind_claim(cluster_state& s, const volume_claim_bound& b, const event& e);
apply_outcome recycled(cluster_state& s, const event& e);
apply_outcome reclaim_failed(cluster_state& s, const volume_reclaim_failed& f, const event& e);

}  // namespace berth::model::volume_rules
