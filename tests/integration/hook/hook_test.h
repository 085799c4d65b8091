// The fixture of the hook tests: a fresh test bed, and a recorder of the attributes the hook
// writes, started once the tree is built.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <string>

#include "hook_bed.h"
#include "write_recorder.h"

namespace hotseat::test {

class HookTest : public ::testing::Test {
protected:
    void SetUp() override { writes = std::make_unique<WriteRecorder>(bed.root(), HookBed::writable_attributes()); }

    // What every run of the hook said, printed when the test fails.
    void TearDown() override {
        if (HasFailure()) std::cerr << transcript_;
    }

    // The test's own writes while arranging the host are not the hook's.
    void forget_setup_writes() { writes->take(); }

    HookRun run(const std::string& op, const std::string& subop, const std::string& xml = "",
                const std::string& domain = kDomain) {
        HookRun result = bed.run(op, subop, xml, domain);
        transcript_ += "--- hotseat-hook " + domain + " " + op + " " + subop + " (exit " +
                       std::to_string(result.status) + ")\n" + result.output;
        return result;
    }

    std::string hugepage_xml(const std::string& gib = "6") {
        DomainXml spec;
        spec.memory = gib;
        spec.hugepages = true;
        return domain_xml(spec);
    }

    std::string boot_gpu_xml(bool hugepages = false) {
        DomainXml spec;
        spec.hugepages = hugepages;
        spec.hostdevs = {kBootGpu};
        return domain_xml(spec);
    }

    HookBed bed;
    std::unique_ptr<WriteRecorder> writes;

private:
    std::string transcript_;
};

using Writes = std::vector<std::string>;

}  // namespace hotseat::test
