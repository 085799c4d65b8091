# nix/module.nix, nix/package.nix and flake.nix evaluated against stub-lib.nix and stub-pkgs.nix,
# without nixpkgs. Each attribute of `checks` is one test: it evaluates to true, or throws what
# was expected and what came out. `toml` is the configuration rendered from the
# services.hotseat.settings of HOST_CONFIG_FILE (a NixOS module written as a plain attribute set).
#   nix-instantiate --store dummy:// --eval --strict -A checks.<name> eval-module.nix
#   nix-instantiate --store dummy:// --eval --strict --json -A toml \
#     --arg hostConfigFile ./hotseat.nix eval-module.nix
{
  hostConfigFile ? null,
}:

let
  lib = import ./stub-lib.nix;
  pkgs = import ./stub-pkgs.nix;
  root = ../../..;
  modulePath = root + "/nix/module.nix";

  package = pkgs.callPackage (root + "/nix/package.nix") { };
  stubPackage = {
    type = "derivation";
    name = "hotseat-0.1.0";
    outPath = "/nix/store/11111111111111111111111111111111-hotseat-0.1.0";
  };

  # Option defaults, the way the module system fills them in: nested option sets (vfio.iommu)
  # and the declared options of submodules (settings.supervisor.control_group).
  isOption = value: builtins.isAttrs value && (value._type or null) == "option";
  applyDefaults =
    type: value:
    if (type.name or null) == "submodule" then
      value
      // builtins.mapAttrs (name: option: applyDefaults option.type (value.${name} or option.default)) (
        type.module.options or { }
      )
    else
      value;
  optionDefaults =
    declared:
    builtins.mapAttrs (
      name: d: if isOption d then applyDefaults d.type d.default else optionDefaults d
    ) declared;

  # The module given what a host sets in services.hotseat (plus the NixOS options it reads).
  evalModuleWith =
    {
      hotseat,
      libvirtd ? true,
      kernelParams ? [ ],
    }:
    let
      module = import modulePath {
        inherit lib pkgs;
        config = {
          services.hotseat = cfg;
          virtualisation.libvirtd.enable = libvirtd;
          boot.kernelParams = kernelParams;
          systemd.package = pkgs.systemd;
        };
      };
      declared = module.options.services.hotseat;
      defaults = optionDefaults (removeAttrs declared [ "package" ]) // { package = stubPackage; };
      cfg = lib.recursiveUpdate defaults (removeAttrs hotseat [ "settings" ]) // {
        settings = applyDefaults declared.settings.type (hotseat.settings or { });
      };
    in
    module;
  evalModule = hotseat: evalModuleWith { inherit hotseat; };

  # mkIf / mkMerge flattened into the attribute set NixOS would merge them to: a false mkIf adds
  # nothing, lists concatenate, attribute sets merge; mkDefault records stay as they are.
  isPlainSet = value: builtins.isAttrs value && !(value ? _type) && (value.type or null) != "derivation";
  resolve =
    value:
    if builtins.isAttrs value && (value._type or null) == "if" then
      (if value.condition then resolve value.content else { })
    else if builtins.isAttrs value && (value._type or null) == "merge" then
      builtins.foldl' merge { } (map resolve value.contents)
    else if isPlainSet value then
      builtins.mapAttrs (name: resolve) value
    else
      value;
  merge =
    a: b:
    a // builtins.mapAttrs (name: value: if a ? ${name} then mergeValues name a.${name} value else value) b;
  mergeValues =
    name: x: y:
    if builtins.isList x && builtins.isList y then
      x ++ y
    else if isPlainSet x && isPlainSet y then
      merge x y
    else
      throw "conflicting definitions of ${name}";

  configOf = hotseat: resolve (evalModule hotseat).config;
  enabled = evalModule { enable = true; };
  on = resolve enabled.config;

  check =
    what: got: expected:
    if got == expected then
      true
    else
      throw "${what}: expected ${builtins.toJSON expected}, got ${builtins.toJSON got}";

  all = checks: builtins.all (c: c) checks;
  has = element: list: builtins.elem element list;
  names = packages: map (p: p.name or p.pname) packages;
  contains =
    text: fragment:
    let
      n = builtins.stringLength fragment;
      go = i: i + n <= builtins.stringLength text && (builtins.substring i n text == fragment || go (i + 1));
    in
    go 0;

  # The file as rendered (checkConfig off: the generated file itself, with its text).
  renderedFor =
    settings:
    (configOf {
      enable = true;
      checkConfig = false;
      inherit settings;
    }).environment.etc."hotseat/hotseat.toml".source;
  settings = if hostConfigFile == null then { } else (import hostConfigFile).services.hotseat.settings;
  rendered = renderedFor settings;

  flake = import (root + "/flake.nix");
  flakeOutputs = flake.outputs {
    self = flakeOutputs;
    nixpkgs.legacyPackages.x86_64-linux = pkgs;
  };
  vmTest = flakeOutputs.checks.x86_64-linux.vm-test;
  vmNode = vmTest.nodes.machine { inherit lib pkgs; };

  gpuVm = {
    vm = [
      {
        name = "desk";
        gpu = [
          "0000:00:02.0"
          "0000:00:02.1"
        ];
      }
      {
        name = "other";
        gpu = [ "0000:00:02.0" ];
      }
    ];
  };
in
{
  toml = rendered.text;
  # What the VM test's hotseatd reads (nix/vm-test.nix), for hotseatd's own loader to check.
  vmTestToml = (renderedFor vmNode.specialisation.hotseat.configuration.services.hotseat.settings).text;

  checks = {
    options-declared = check "options of services.hotseat"
      (builtins.attrNames enabled.options.services.hotseat)
      [ "checkConfig" "enable" "hostCpuWeight" "keepGpusAwake" "libvirtPolkit" "package" "settings" "vfio" "vmCpuWeight" ];

    option-defaults =
      let
        o = enabled.options.services.hotseat;
        supervisor = o.settings.type.module.options.supervisor;
      in
      all [
        (check "enable default" o.enable.default false)
        (check "settings default" o.settings.default { })
        (check "settings type" o.settings.type.name "submodule")
        (check "settings freeform" o.settings.type.module.freeformType.name "tomlValue")
        (check "supervisor freeform" supervisor.type.module.freeformType.name "tomlValue")
        (check "declared supervisor keys" (builtins.attrNames supervisor.type.module.options) [ "control_group" "libvirt_uri" ])
        (check "control_group default (hotseat.toml(5))" supervisor.type.module.options.control_group.default "wheel")
        (check "libvirt_uri default (hotseat.toml(5))" supervisor.type.module.options.libvirt_uri.default "qemu:///system")
        (check "documented" (builtins.all (opt: builtins.stringLength opt.description > 40)
          (builtins.attrValues supervisor.type.module.options)) true)
        (check "checkConfig default" o.checkConfig.default true)
        (check "keepGpusAwake default" o.keepGpusAwake.default true)
        (check "vfio.iommu default" o.vfio.iommu.default null)
        (check "vfio.iommu values" o.vfio.iommu.type.type.values [ "intel" "amd" ])
        (check "libvirtPolkit default" o.libvirtPolkit.default false)
        (check "hostCpuWeight default" o.hostCpuWeight.default 200)
        (check "vmCpuWeight default" o.vmCpuWeight.default 100)
        (check "weight range" [ o.hostCpuWeight.type.lowest o.hostCpuWeight.type.highest ] [ 1 10000 ])
        (check "package default evaluates" o.package.default.pname "hotseat")
      ];

    disabled-adds-nothing = all [
      (check "mkIf condition when disabled" (evalModule { enable = false; }).config.condition false)
      (check "nothing when disabled" (configOf { enable = false; }) { })
      (check "mkIf condition when enabled" enabled.config.condition true)
    ];

    config-file =
      let
        checked = on.environment.etc."hotseat/hotseat.toml".source;
        generated = renderedFor { };
        withSettings = renderedFor { supervisor.debounce_ms = 500; };
      in
      all [
        (check "generated file name" checked.name "hotseat.toml")
        (check "checked at build time" checked.stubbed "runCommand")
        (check "checked by the package's hotseatd" checked.nativeBuildInputs [ stubPackage ])
        (check "the generated file is what is checked" (contains checked.buildCommand "cp ${generated} $out") true)
        (check "the check, owner check off (a build sandbox)"
          (contains checked.buildCommand "hotseatd --check-config $out --no-owner-check") true)
        (check "declared defaults rendered" generated.text
          "\n[supervisor]\ncontrol_group = \"wheel\"\nlibvirt_uri = \"qemu:///system\"\n")
        (check "free-form settings rendered" withSettings.text
          "\n[supervisor]\ncontrol_group = \"wheel\"\ndebounce_ms = 500\nlibvirt_uri = \"qemu:///system\"\n")
        (check "checkConfig off: the generated file" (renderedFor { }).name "hotseat.toml")
      ];

    unit-wiring = all [
      (check "systemd.packages" on.systemd.packages [ stubPackage ])
      (check "wantedBy" on.systemd.services.hotseatd.wantedBy [ "multi-user.target" ])
      (check "reload on config change" on.systemd.services.hotseatd.reloadTriggers
        [ on.environment.etc."hotseat/hotseat.toml".source ])
      (check "tmpfiles" on.systemd.tmpfiles.packages [ stubPackage ])
      (check "hotseatctl on PATH" on.environment.systemPackages [ stubPackage ])
    ];

    dbus-policy =
      let
        policyOf = hotseat: builtins.elemAt (configOf hotseat).services.dbus.packages 1;
        default = policyOf { enable = true; };
        custom = policyOf { enable = true; settings.supervisor.control_group = "desk-users"; };
      in
      all [
        (check "package policy" (builtins.head on.services.dbus.packages) stubPackage)
        (check "policy path" default.path "share/dbus-1/system.d/org.hotseat.Supervisor1.control-group.conf")
        (check "default group" (contains default.text "<policy group=\"wheel\">") true)
        (check "configured group" (contains custom.text "<policy group=\"desk-users\">") true)
        (check "VM methods allowed" (contains default.text "send_interface=\"org.hotseat.Supervisor1.VM\"/>") true)
        (check "Reload allowed" (contains default.text "send_member=\"Reload\"/>") true)
      ];

    udev-rules =
      let
        withGpus = configOf { enable = true; settings = gpuVm; };
        rules = builtins.elemAt withGpus.services.udev.packages 1;
        off = configOf { enable = true; keepGpusAwake = false; settings = gpuVm; };
      in
      all [
        (check "no gpus: the package's rules only" on.services.udev.packages [ stubPackage ])
        (check "gpus: a power/control rule file" (names withGpus.services.udev.packages)
          [ "hotseat-0.1.0" "71-hotseat-gpu-power.rules" ])
        (check "rule file path" rules.path "lib/udev/rules.d/71-hotseat-gpu-power.rules")
        (check "one rule per gpu, duplicates once" (contains rules.text
          "ACTION==\"add|change\", SUBSYSTEM==\"pci\", KERNEL==\"0000:00:02.0\", ATTR{power/control}=\"on\"\nACTION==\"add|change\", SUBSYSTEM==\"pci\", KERNEL==\"0000:00:02.1\", ATTR{power/control}=\"on\"\n") true)
        (check "opt-out" off.services.udev.packages [ stubPackage ])
      ];

    gpu-addresses =
      let
        assertionFor = gpu: builtins.elemAt (configOf {
          enable = true;
          settings.vm = [ { name = "desk"; inherit gpu; } ];
        }).assertions 1;
        injected = "0000:00:02.0\", RUN+=\"/bin/sh";
      in
      all [
        (check "PCI address accepted" (assertionFor [ "0000:00:02.0" ]).assertion true)
        (check "upper case refused" (assertionFor [ "0000:00:02.A" ]).assertion false)
        (check "quote refused" (assertionFor [ injected ]).assertion false)
        (check "refused address kept out of the rule" (contains (builtins.elemAt (configOf {
          enable = true;
          settings.vm = [ { name = "desk"; gpu = [ injected ]; } ];
        }).services.udev.packages 1).text "RUN+=") false)
      ];

    user =
      let
        noLibvirtd = resolve (evalModuleWith { hotseat.enable = true; libvirtd = false; }).config;
      in
      all [
        (check "system user" on.users.users.hotseat.isSystemUser true)
        (check "primary group" on.users.users.hotseat.group "hotseat")
        (check "libvirt socket group" on.users.users.hotseat.extraGroups [ "libvirtd" ])
        (check "no libvirtd group without libvirtd" noLibvirtd.users.users.hotseat.extraGroups [ ])
        (check "group declared" on.users.groups.hotseat { })
      ];

    libvirt-hook =
      let
        hook = "${stubPackage}/libexec/hotseat/hotseat-hook";
        service = on.systemd.services.hotseat-libvirt-hook;
        noLibvirtd = resolve (evalModuleWith { hotseat.enable = true; libvirtd = false; }).config;
      in
      all [
        (check "hook path" on.virtualisation.libvirtd.hooks.qemu.hotseat hook)
        (check "libvirtd enabled by default" on.virtualisation.libvirtd.enable (lib.mkDefault true))
        # NixOS links hooks.qemu only when libvirtd starts, and never restarts it on a switch.
        (check "linked on every switch" service.wantedBy [ "multi-user.target" ])
        (check "after libvirtd's own linking" service.after [ "libvirtd-config.service" "libvirtd.service" ])
        (check "oneshot" service.serviceConfig { Type = "oneshot"; RemainAfterExit = true; })
        (check "links the hook" (contains service.script "ln -sfn ${hook} /var/lib/libvirt/hooks/qemu.d/hotseat") true)
        (check "the undo log directory" (contains service.script "install -d -m 0755 -o root -g root /run/hotseat") true)
        (check "a running libvirtd looks again (SIGHUP, no restart)" (contains service.script
          "if systemctl is-active --quiet libvirtd.service; then\n  systemctl kill --signal=SIGHUP --kill-whom=main libvirtd.service\nfi") true)
        (check "no hook without libvirtd" (noLibvirtd.virtualisation.libvirtd ? hooks) false)
        (check "no link service without libvirtd" (noLibvirtd.systemd.services ? hotseat-libvirt-hook) false)
      ];

    vfio-iommu =
      let
        intel = configOf { enable = true; vfio.iommu = "intel"; };
        amd = configOf { enable = true; vfio.iommu = "amd"; };
        modules = [ "vfio_pci" "vfio_iommu_type1" "vfio" ];
      in
      all [
        (check "intel parameters" intel.boot.kernelParams [ "intel_iommu=on" "iommu=pt" ])
        (check "intel modules" intel.boot.kernelModules modules)
        (check "amd parameters" amd.boot.kernelParams [ "iommu=pt" ])
        (check "amd modules" amd.boot.kernelModules modules)
        (check "null: kernel left alone" (on ? boot) false)
      ];

    gpu-warning =
      let
        warningsOf = args: (resolve (evalModuleWith args).config).warnings;
        withGpus = { enable = true; settings = gpuVm; };
      in
      all [
        (check "no gpus, no warning" on.warnings [ ])
        (check "gpus, no IOMMU parameter: one warning" (builtins.length (warningsOf { hotseat = withGpus; })) 1)
        (check "it names the devices and the option" (contains (builtins.head (warningsOf { hotseat = withGpus; }))
          "(0000:00:02.0, 0000:00:02.1)") true)
        (check "vfio.iommu set" (warningsOf { hotseat = withGpus // { vfio.iommu = "intel"; }; }) [ ])
        (check "parameter set by hand" (warningsOf { hotseat = withGpus; kernelParams = [ "quiet" "intel_iommu=on" ]; }) [ ])
        (check "amd parameter by hand" (warningsOf { hotseat = withGpus; kernelParams = [ "amd_iommu=force_isolation" ]; }) [ ])
      ];

    libvirt-polkit =
      let
        polkit = configOf { enable = true; libvirtPolkit = true; settings = gpuVm; };
        noLibvirtd = resolve (evalModuleWith { hotseat = { enable = true; libvirtPolkit = true; }; libvirtd = false; }).config;
        rules = polkit.security.polkit.extraConfig;
      in
      all [
        (check "off by default: libvirt untouched" (on.virtualisation.libvirtd ? extraConfig) false)
        (check "off by default: no polkit rules" (on ? security) false)
        (check "libvirt asks polkit" polkit.virtualisation.libvirtd.extraConfig "access_drivers = [ \"polkit\" ]\n")
        (check "polkit on" polkit.security.polkit.enable true)
        (check "the VMs are hotseat's domains" (contains rules "var hotseatDomains = [\"desk\",\"other\"];") true)
        (check "the shipped example list is gone" (contains rules "[\"arch-desktop\"]") false)
        (check "the rules are the shipped ones" (contains rules "if (subject.user != \"hotseat\") return polkit.Result.NOT_HANDLED;") true)
        (check "nothing without libvirtd" (noLibvirtd ? security) false)
      ];

    cpu-weights =
      let
        tuned = configOf { enable = true; hostCpuWeight = 300; vmCpuWeight = 50; };
      in
      all [
        (check "system.slice" on.systemd.slices.system { overrideStrategy = "asDropin"; sliceConfig.CPUWeight = 200; })
        (check "machine.slice" on.systemd.slices.machine { overrideStrategy = "asDropin"; sliceConfig.CPUWeight = 100; })
        (check "host weighs twice the VMs" (on.systemd.slices.system.sliceConfig.CPUWeight
          == 2 * on.systemd.slices.machine.sliceConfig.CPUWeight) true)
        (check "weights follow the options" [ tuned.systemd.slices.system.sliceConfig.CPUWeight
          tuned.systemd.slices.machine.sliceConfig.CPUWeight ] [ 300 50 ])
      ];

    control-group-assertion =
      let
        assertionFor = group: builtins.head (configOf {
          enable = true;
          settings.supervisor.control_group = group;
        }).assertions;
      in
      all [
        (check "wheel accepted" (assertionFor "wheel").assertion true)
        (check "machine account accepted" (assertionFor "_desk$").assertion true)
        (check "quote refused" (assertionFor "wheel\" user=\"root").assertion false)
        (check "leading digit refused" (assertionFor "1desk").assertion false)
        (check "33 characters refused" (assertionFor "abcdefghijklmnopqrstuvwxyzabcdefg").assertion false)
      ];

    package-inputs =
      let
        manifest = builtins.readFile ../install-manifest.txt;
        inManifest = path: builtins.match ".*\n${path}\n.*" manifest != null;
        withOne = pkgs.callPackage (root + "/nix/package.nix") { sdbus-cpp_2 = null; };
      in
      all [
        (check "native inputs" (names package.nativeBuildInputs) [ "cmake" "ninja" "pkg-config" "sdbus-cpp_2" ])
        (check "inputs" (all (map (p: has p (names package.buildInputs))
          [ "sdbus-cpp_2" "tomlplusplus" "libvirt" "systemd" "libevdev" "cli11" "libxml2" "nlohmann_json" ])) true)
        (check "sdbus-c++ 2 asked for by name" (has "-DHOTSEAT_SDBUS_MAJOR=2" package.cmakeFlags) true)
        (check "without sdbus-cpp_2: sdbus-cpp" (names withOne.nativeBuildInputs) [ "cmake" "ninja" "pkg-config" "sdbus-cpp" ])
        (check "without sdbus-cpp_2: major 1" (has "-DHOTSEAT_SDBUS_MAJOR=1" withOne.cmakeFlags) true)
        (check "warnings are not errors in the package" (has "-DCMAKE_COMPILE_WARNING_AS_ERROR=OFF" package.cmakeFlags) true)
        (check "gtest for the checks" (names package.checkInputs) [ "gtest" ])
        (check "no /etc write in the sandbox" (has "-DHOTSEAT_INSTALL_ETC_CONFIG=OFF" package.cmakeFlags) true)
        # postInstall rewrites files by their installed paths: they must be where install puts them.
        (check "rules path installed" (inManifest "usr/lib/udev/rules.d/70-hotseat.rules") true)
        (check "unit path installed" (inManifest "usr/lib/systemd/system/hotseatd.service") true)
        (check "hook path installed" (inManifest "usr/libexec/hotseat/hotseat-hook") true)
        (check "setfacl rewritten" (builtins.match ".*--replace-fail /usr/bin/setfacl /nix/store/[a-z0-9]+-acl/bin/setfacl.*" package.postInstall != null) true)
        (check "kill rewritten" (builtins.match ".*--replace-fail /bin/kill /nix/store/[a-z0-9]+-coreutils/bin/kill.*" package.postInstall != null) true)
      ];

    flake-outputs = all [
      (check "nixpkgs input: the current stable NixOS (docs/setup.md)" flake.inputs.nixpkgs.url "github:NixOS/nixpkgs/nixos-26.05")
      (check "package" flakeOutputs.packages.x86_64-linux.default.pname "hotseat")
      # The module takes the host's pkgs: it is nix/module.nix itself, whose package default is
      # the host's pkgs.callPackage, not this flake's packages.
      (check "module is nix/module.nix" flakeOutputs.nixosModules.default modulePath)
      (check "checks" (builtins.attrNames flakeOutputs.checks.x86_64-linux) [ "package" "vm-test" ])
      (check "package check" flakeOutputs.checks.x86_64-linux.package.pname "hotseat")
      (check "dev shell builds like the package" flakeOutputs.devShells.x86_64-linux.default.inputsFrom
        [ flakeOutputs.packages.x86_64-linux.default ])
      (check "dev shell has the test components" (all (map (p: has p (names flakeOutputs.devShells.x86_64-linux.default.packages))
        [ "gtest" "umockdev" "dbus" "libvirt" ])) true)
    ];

    vm-test =
      let
        first = vmNode.specialisation.hotseat.configuration.services.hotseat;
        second = vmNode.specialisation.reloaded.configuration.services.hotseat;
        script = vmTest.testScript;
      in
      all ([
        (check "a runNixOSTest" vmTest.stubbed "runNixOSTest")
        (check "name" vmTest.name "hotseat")
        (check "the flake's module" vmNode.imports [ modulePath ])
        (check "hotseat off at boot (the first switch is tested)" (vmNode ? services) false)
        (check "libvirtd on at boot" vmNode.virtualisation.libvirtd.enable true)
        (check "first specialisation enables hotseat" first.enable true)
        (check "reloaded differs by one setting" (lib.recursiveUpdate first.settings { supervisor.debounce_ms = 700; })
          second.settings)
        (check "a VM with a gpu for the udev rule" (builtins.elem [ "0000:00:02.0" ] (map (vm: vm.gpu or [ ]) first.settings.vm)) true)
      ]
      ++ map (fragment: check "testScript checks ${fragment}" (contains script fragment) true) [
        "switch(\"hotseat\")"
        "wait_for_unit(\"hotseatd.service\")"
        "busctl --system introspect org.hotseat.Supervisor1 /org/hotseat/Supervisor1"
        "wait_for_unit(\"hotseat-libvirt-hook.service\")"
        "readlink /var/lib/libvirt/hooks/qemu.d/hotseat"
        "test -e /run/hotseat/desk.undo"
        "/etc/udev/rules.d/71-hotseat-gpu-power.rules"
        "power/control)\\\" = on"
        "switch(\"reloaded\")"
        "SIGHUP: reloading"
        "hotseatd was restarted"
      ]);
  };
}
