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

  # The module as the module system would see it: option defaults, then what a host sets.
  evalModule =
    hostSettings:
    let
      module = import modulePath {
        inherit lib pkgs;
        config.services.hotseat = defaults // hostSettings;
      };
      declared = module.options.services.hotseat;
      defaults = builtins.mapAttrs (name: option: option.default) (
        removeAttrs declared [ "package" ]
      ) // { package = stubPackage; };
    in
    module;

  enabled = evalModule { enable = true; };
  on = enabled.config.content;

  check =
    what: got: expected:
    if got == expected then
      true
    else
      throw "${what}: expected ${builtins.toJSON expected}, got ${builtins.toJSON got}";

  all = checks: builtins.all (c: c) checks;
  has = element: list: builtins.elem element list;
  names = packages: map (p: p.name) packages;

  settings = if hostConfigFile == null then { } else (import hostConfigFile).services.hotseat.settings;
  rendered = (evalModule { enable = true; inherit settings; }).config.content.environment.etc."hotseat/hotseat.toml".source;

  flake = import (root + "/flake.nix");
  flakeOutputs = flake.outputs {
    self = flakeOutputs;
    nixpkgs.legacyPackages.x86_64-linux = pkgs;
  };
  flakeModule = flakeOutputs.nixosModules.default { inherit lib pkgs; };
in
{
  toml = rendered.text;

  checks = {
    options-declared = check "options of services.hotseat"
      (builtins.attrNames enabled.options.services.hotseat)
      [ "enable" "hostCpuWeight" "package" "settings" "vmCpuWeight" ];

    option-defaults =
      let
        o = enabled.options.services.hotseat;
      in
      all [
        (check "enable default" o.enable.default false)
        (check "settings default" o.settings.default { })
        (check "settings type" o.settings.type.name "tomlValue")
        (check "hostCpuWeight default" o.hostCpuWeight.default 200)
        (check "vmCpuWeight default" o.vmCpuWeight.default 100)
        (check "weight range" [ o.hostCpuWeight.type.lowest o.hostCpuWeight.type.highest ] [ 1 10000 ])
        (check "package default evaluates" o.package.default.pname "hotseat")
      ];

    disabled-adds-nothing = all [
      (check "mkIf condition when disabled" (evalModule { enable = false; }).config.condition false)
      (check "mkIf condition when enabled" enabled.config.condition true)
    ];

    config-file =
      let
        source = on.environment.etc."hotseat/hotseat.toml".source;
        withSettings = (evalModule {
          enable = true;
          settings.supervisor.debounce_ms = 500;
        }).config.content.environment.etc."hotseat/hotseat.toml".source;
      in
      all [
        (check "generated file name" source.name "hotseat.toml")
        (check "empty settings render empty" source.text "")
        (check "settings rendered" withSettings.text "\n[supervisor]\ndebounce_ms = 500\n")
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
        policyOf = hostSettings: builtins.elemAt (evalModule hostSettings).config.content.services.dbus.packages 1;
        default = policyOf { enable = true; };
        custom = policyOf { enable = true; settings.supervisor.control_group = "desk-users"; };
      in
      all [
        (check "package policy" (builtins.head on.services.dbus.packages) stubPackage)
        (check "policy path" default.path "share/dbus-1/system.d/org.hotseat.Supervisor1.control-group.conf")
        (check "default group" (builtins.match ".*<policy group=\"wheel\">.*" default.text != null) true)
        (check "configured group" (builtins.match ".*<policy group=\"desk-users\">.*" custom.text != null) true)
        (check "VM methods allowed" (builtins.match ".*send_interface=\"org.hotseat.Supervisor1.VM\"/>.*" default.text != null) true)
        (check "Reload allowed" (builtins.match ".*send_member=\"Reload\"/>.*" default.text != null) true)
      ];

    udev-rules = check "services.udev.packages" on.services.udev.packages [ stubPackage ];

    user = all [
      (check "system user" on.users.users.hotseat.isSystemUser true)
      (check "primary group" on.users.users.hotseat.group "hotseat")
      (check "libvirt socket group" on.users.users.hotseat.extraGroups [ "libvirtd" ])
      (check "group declared" on.users.groups.hotseat { })
    ];

    libvirt-hook = all [
      (check "hook path" on.virtualisation.libvirtd.hooks.qemu.hotseat
        "${stubPackage}/libexec/hotseat/hotseat-hook")
      (check "libvirtd enabled by default" on.virtualisation.libvirtd.enable (lib.mkDefault true))
    ];

    cpu-weights =
      let
        tuned = (evalModule { enable = true; hostCpuWeight = 300; vmCpuWeight = 50; }).config.content;
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
        assertionFor = group: builtins.head (evalModule {
          enable = true;
          settings.supervisor.control_group = group;
        }).config.content.assertions;
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
      in
      all [
        (check "native inputs" (names package.nativeBuildInputs) [ "cmake" "ninja" "pkg-config" "sdbus-cpp" ])
        (check "inputs" (all (map (p: has p (names package.buildInputs))
          [ "sdbus-cpp" "tomlplusplus" "libvirt" "systemd" "libevdev" "cli11" "libxml2" "nlohmann_json" ])) true)
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
      (check "nixpkgs input" flake.inputs.nixpkgs.url "github:NixOS/nixpkgs/nixos-24.05")
      (check "package" flakeOutputs.packages.x86_64-linux.default.pname "hotseat")
      (check "module imports nix/module.nix" flakeModule.imports [ modulePath ])
      (check "module's package" flakeModule.services.hotseat.package
        (lib.mkDefault flakeOutputs.packages.x86_64-linux.default))
      (check "dev shell builds like the package" flakeOutputs.devShells.x86_64-linux.default.inputsFrom
        [ flakeOutputs.packages.x86_64-linux.default ])
      (check "dev shell has the test components" (all (map (p: has p (names flakeOutputs.devShells.x86_64-linux.default.packages))
        [ "gtest" "umockdev" "dbus" "libvirt" ])) true)
    ];
  };
}
