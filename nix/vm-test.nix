# NixOS VM test of services.hotseat (flake check `vm-test`; pkgs.testers.runNixOSTest):
#   nix build .#checks.x86_64-linux.vm-test -L
# The machine boots with libvirtd on and hotseat off; the test starts libvirtd, then switches to
# the `hotseat` specialisation (the first switch with hotseat, libvirtd already running), then to
# `reloaded` (the same configuration but one setting). It checks: hotseatd up and its bus name
# introspectable; the hook linked into /var/lib/libvirt/hooks/qemu.d and called by the running
# libvirtd for a domain named in the settings; the udev rules (tags, power/control of the
# configured GPU); and that the settings-only change reloads hotseatd instead of restarting it.
{ self }:
let
  settings = {
    supervisor = {
      libvirt_uri = "qemu:///system";
      debounce_ms = 1000;
    };
    vm = [
      { name = "desk"; } # the domain the test starts (no devices: the hook only records it)
      {
        name = "spare"; # never started: its gpu only feeds the power/control rule
        gpu = [ "0000:00:02.0" ]; # QEMU's VGA in the test VM
      }
    ];
    rule = [
      {
        name = "desk-hotkey";
        on = "hotkey";
        keys = [
          "KEY_LEFTCTRL"
          "KEY_LEFTALT"
          "KEY_F12"
        ];
        action = "toggle";
        vm = "desk";
      }
    ];
  };
in
{
  name = "hotseat";

  nodes.machine =
    { lib, pkgs, ... }:
    {
      imports = [ self.nixosModules.default ];
      virtualisation.memorySize = 1536;
      virtualisation.libvirtd.enable = true;
      environment.systemPackages = [ pkgs.libxml2 ];

      specialisation.hotseat.configuration = {
        services.hotseat = {
          enable = true;
          inherit settings;
          vfio.iommu = "intel";
        };
      };
      specialisation.reloaded.configuration = {
        services.hotseat = {
          enable = true;
          settings = lib.recursiveUpdate settings { supervisor.debounce_ms = 700; };
          vfio.iommu = "intel";
        };
      };
    };

  testScript = ''
    import re

    def switch(name):
        machine.succeed(f"/run/booted-system/specialisation/{name}/bin/switch-to-configuration test >&2")

    machine.wait_for_unit("multi-user.target")

    with subtest("libvirtd runs before hotseat is there"):
        machine.succeed("systemctl start libvirtd.service")
        machine.wait_for_unit("libvirtd.service")
        machine.fail("test -e /var/lib/libvirt/hooks/qemu.d/hotseat")

    with subtest("first switch: hotseatd up, on the bus"):
        switch("hotseat")
        machine.wait_for_unit("hotseatd.service")
        machine.wait_until_succeeds("busctl --system introspect org.hotseat.Supervisor1 /org/hotseat/Supervisor1 | grep -q ListVMs")
        machine.succeed("busctl --system introspect org.hotseat.Supervisor1 /org/hotseat/Supervisor1/vm/desk | grep -q Start")
        machine.succeed("hotseatctl status >&2")
        machine.succeed("id -nG hotseat | grep -qw libvirtd")

    with subtest("first switch: the hook is linked and the running libvirtd calls it"):
        machine.wait_for_unit("hotseat-libvirt-hook.service")
        target = machine.succeed("readlink /var/lib/libvirt/hooks/qemu.d/hotseat").strip()
        assert target.endswith("/libexec/hotseat/hotseat-hook"), target
        machine.succeed("test -x /var/lib/libvirt/hooks/qemu.d/hotseat")
        machine.succeed(
            "cat > /tmp/desk.xml <<'EOF'\n"
            "<domain type='qemu'><name>desk</name><memory unit='MiB'>64</memory>"
            "<os><type arch='x86_64'>hvm</type></os><devices><graphics type='vnc'/></devices></domain>\n"
            "EOF"
        )
        machine.succeed("virsh -c qemu:///system define /tmp/desk.xml")
        machine.succeed("virsh -c qemu:///system start desk")
        # hotseat-hook prepared the domain: it keeps an undo log while the domain runs.
        machine.wait_until_succeeds("test -e /run/hotseat/desk.undo")
        machine.succeed("virsh -c qemu:///system destroy desk")
        machine.wait_until_fails("test -e /run/hotseat/desk.undo")

    with subtest("udev rules"):
        machine.succeed("grep -q hotseat /etc/udev/rules.d/70-hotseat.rules")
        machine.succeed("grep -q '0000:00:02.0' /etc/udev/rules.d/71-hotseat-gpu-power.rules")
        machine.succeed("echo auto > /sys/bus/pci/devices/0000:00:02.0/power/control")
        machine.succeed("udevadm trigger --action=change --sysname-match=0000:00:02.0 && udevadm settle")
        machine.succeed("test \"$(cat /sys/bus/pci/devices/0000:00:02.0/power/control)\" = on")

    with subtest("kernel parameters and modules of vfio.iommu"):
        machine.succeed("grep -q 'intel_iommu=on' /run/current-system/kernel-params")

    with subtest("a settings-only change reloads hotseatd"):
        pid = machine.succeed("systemctl show -P MainPID hotseatd.service").strip()
        switch("reloaded")
        machine.succeed("grep -q 'debounce_ms = 700' /etc/hotseat/hotseat.toml")
        machine.wait_until_succeeds("journalctl -u hotseatd.service -o cat | grep -q 'SIGHUP: reloading'")
        assert pid == machine.succeed("systemctl show -P MainPID hotseatd.service").strip(), "hotseatd was restarted"
        machine.succeed("hotseatctl status >&2")
  '';
}
