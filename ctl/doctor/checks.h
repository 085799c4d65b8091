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
void check_iommu(DoctorContext& context, Findings& out);         // IOMMU on, at all
void check_vfio(DoctorContext& context, Findings& out);          // vfio-pci loaded or loadable
void check_iommu_groups(DoctorContext& context, Findings& out);  // each gpu's group and its members
// gpu_checks.cpp
void check_gpu_at_rest(DoctorContext& context, Findings& out);  // each gpu with its host driver at rest
void check_hpd_poll(DoctorContext& context, Findings& out);     // runtime PM that delays hotplug
// dri_users_check.cpp
void check_dri_users(DoctorContext& context, Findings& out);  // host processes on a gpu's DRM nodes
// connector_check.cpp
void check_connectors(DoctorContext& context, Findings& out);  // monitor rules' connectors exist
// domain_checks.cpp
void check_domain(DoctorContext& context, Findings& out);    // libvirt knows the domain
void check_hostdevs(DoctorContext& context, Findings& out);  // a hostdev for each gpu
void check_balloon(DoctorContext& context, Findings& out);   // balloon vs passthrough/hugepages
// igd_checks.cpp
void check_igd_address(DoctorContext& context, Findings& out);   // an iGPU at guest 00:02.0
void check_igd_rom(DoctorContext& context, Findings& out);       // its option ROM, for this device
void check_igd_opregion(DoctorContext& context, Findings& out);  // QEMU version vs x-igd-opregion
// firmware_check.cpp
void check_firmware(DoctorContext& context, Findings& out);  // firmware='efi' has a UEFI loader
// hugepage_checks.cpp
void check_hugepages(DoctorContext& context, Findings& out);  // the pages the domain asks for
// memory_check.cpp
void check_memory(DoctorContext& context, Findings& out);  // pinned RAM / hugepages vs the host
// guest_checks.cpp
void check_guest_channel(DoctorContext& context, Findings& out);  // the channel vs guest_channel
void check_guest_helper(DoctorContext& context, Findings& out);   // the helper's hello (hotseatd)
// agent_check.cpp
void check_guest_agent(DoctorContext& context, Findings& out);  // a hibernating VM's guest agent
// hook_checks.cpp
void check_hook(DoctorContext& context, Findings& out);  // hotseat-hook installed
// libvirt_access_check.cpp
void check_libvirt_access(DoctorContext& context, Findings& out);  // polkit limits the user hotseat

}  // namespace hotseat::ctl::doctor
