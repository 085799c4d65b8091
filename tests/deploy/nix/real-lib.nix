# nix/module.nix under the real module system: nixpkgs' lib.evalModules (given as `lib`, e.g. a
# checkout of nixpkgs' lib/ or nix-community/nixpkgs.lib), with the NixOS options the module sets
# declared loosely below and stub-pkgs.nix for pkgs. Not part of CTest: nixpkgs is not on the
# build machine. With a lib at hand:
#   nix-instantiate --store dummy:// --eval --strict --json -A result \
#     --arg lib 'import /path/to/nixpkgs/lib' tests/deploy/nix/real-lib.nix
# `result` holds what a host with the reference settings gets; evaluation fails on any type
# error, and `checks` are the same facts eval-module.nix asserts with its stub.
{ lib }:
let
  stub = import ./stub-pkgs.nix;
  # The stub renders TOML; its settings type is a name only, so take a real one here.
  pkgs = stub // {
    formats.toml = args: stub.formats.toml args // { type = lib.types.attrsOf lib.types.anything; };
  };
  # docs/setup.md's reference settings, shortened.
  settings = {
    supervisor = {
      libvirt_uri = "qemu:///system";
      control_group = "wheel";
      debounce_ms = 1500;
    };
    vm = [
      {
        name = "arch-desktop";
        gpu = [ "0000:00:02.0" ];
        usb = [
          {
            vendor = "046d";
            product = "c52b";
          }
        ];
      }
    ];
    rule = [
      {
        name = "desk-monitor";
        on = "monitor.connected";
        connector = "HDMI-A-1";
        action = "start";
        vm = "arch-desktop";
      }
    ];
  };

  anything = lib.mkOption {
    type = lib.types.anything;
    default = null;
  };
  list = lib.mkOption {
    type = lib.types.listOf lib.types.anything;
    default = [ ];
  };
  attrs = lib.mkOption {
    type = lib.types.lazyAttrsOf lib.types.anything;
    default = { };
  };
  # The NixOS options nix/module.nix reads or sets, typed as loosely as they merge in NixOS.
  nixosOptions = {
    options = {
      assertions = list;
      warnings = list;
      environment.etc = attrs;
      environment.systemPackages = list;
      systemd.package = anything;
      systemd.packages = list;
      systemd.services = lib.mkOption {
        type = lib.types.attrsOf (lib.types.attrsOf lib.types.anything);
        default = { };
      };
      systemd.tmpfiles.packages = list;
      systemd.slices = attrs;
      services.dbus.packages = list;
      services.udev.packages = list;
      users.users = attrs;
      users.groups = attrs;
      boot.kernelParams = list;
      boot.kernelModules = list;
      virtualisation.libvirtd.enable = lib.mkOption {
        type = lib.types.bool;
        default = false;
      };
      virtualisation.libvirtd.hooks.qemu = attrs;
    };
    config.systemd.package = pkgs.systemd;
  };

  eval =
    host:
    (lib.evalModules {
      modules = [
        ../../../nix/module.nix
        nixosOptions
        host
        { _module.args.pkgs = pkgs; }
        # A package with a store path, as a build of nix/package.nix would have.
        {
          services.hotseat.package = {
            type = "derivation";
            name = "hotseat-0.1.0";
            outPath = "/nix/store/11111111111111111111111111111111-hotseat-0.1.0";
          };
        }
      ];
    }).config;

  reference = eval {
    services.hotseat = {
      enable = true;
      inherit settings;
    };
  };
  minimal = eval { services.hotseat.enable = true; };
  noLibvirt = eval {
    services.hotseat.enable = true;
    virtualisation.libvirtd.enable = lib.mkForce false;
  };
  iommu = eval {
    services.hotseat = {
      enable = true;
      inherit settings;
      vfio.iommu = "intel";
    };
  };
  failed = c: map (a: a.message) (builtins.filter (a: !a.assertion) c.assertions);
in
{
  result = {
    settings = reference.services.hotseat.settings;
    assertions = failed reference;
    warnings = reference.warnings;
    udev = map (p: p.name or p.pname) reference.services.udev.packages;
    hookService = reference.systemd.services.hotseat-libvirt-hook.script;
    groups = reference.users.users.hotseat.extraGroups;
  };
  checks = {
    declared-defaults =
      minimal.services.hotseat.settings.supervisor == {
        control_group = "wheel";
        libvirt_uri = "qemu:///system";
      };
    freeform-kept = reference.services.hotseat.settings.supervisor.debounce_ms == 1500;
    no-assertion-fails = failed reference == [ ];
    gpu-warning = builtins.length reference.warnings == 1 && iommu.warnings == [ ];
    iommu-params = iommu.boot.kernelParams == [
      "intel_iommu=on"
      "iommu=pt"
    ];
    libvirtd-group = reference.users.users.hotseat.extraGroups == [ "libvirtd" ] && noLibvirt.users.users.hotseat.extraGroups == [ ];
    no-hook-without-libvirtd = !(noLibvirt.systemd.services ? hotseat-libvirt-hook);
    gpu-power-rule = builtins.elem "71-hotseat-gpu-power.rules" (map (p: p.name or p.pname) reference.services.udev.packages);
  };
}
