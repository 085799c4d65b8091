// The doctor's checks and their registry. Each check appends what it found; a check with
// nothing to say about a VM (no gpu configured, the domain missing) appends nothing for it.
#pragma once

#include <string_view>
#include <vector>

#include "context.h"
#include "finding.h"

namespace hotseat::ctl::doctor {

using CheckFunction = void (*)(DoctorContext&, Findings&);

struct Check {
    std::string_view name;
    CheckFunction run;
};

// Every check, in the order they run and are printed.
const std::vector<Check>& registered_checks();

// Runs every registered check.
Findings run_checks(DoctorContext& context);

// host_checks.cpp
void check_iommu(DoctorContext& context, Findings& out);        // IOMMU on, at all
void check_vfio(DoctorContext& context, Findings& out);         // vfio-pci loaded or loadable
void check_iommu_groups(DoctorContext& context, Findings& out); // each gpu's group and its members
// domain_checks.cpp
void check_domain(DoctorContext& context, Findings& out);       // libvirt knows the domain
void check_hostdevs(DoctorContext& context, Findings& out);     // a hostdev for each gpu
void check_balloon(DoctorContext& context, Findings& out);      // balloon vs passthrough/hugepages
// hugepage_checks.cpp
void check_hugepages(DoctorContext& context, Findings& out);    // the pages the domain asks for
// guest_checks.cpp
void check_guest_channel(DoctorContext& context, Findings& out);  // the channel vs guest_channel
void check_guest_helper(DoctorContext& context, Findings& out);   // the helper's hello (hotseatd)
// hook_checks.cpp
void check_hook(DoctorContext& context, Findings& out);         // hotseat-hook installed

}  // namespace hotseat::ctl::doctor
