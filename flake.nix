{
  description = "hotseat: a desk on demand. Boots a desktop VM with GPU and USB passthrough when a monitor or keyboard is plugged in";

  # The current stable NixOS (docs/setup.md says which and why); its QEMU (10.x) is new enough
  # for IGD assignment of the reference machine's Alder Lake-N iGPU.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";

  outputs =
    { self, nixpkgs }:
    let
      system = "x86_64-linux";
      pkgs = nixpkgs.legacyPackages.${system};
    in
    {
      packages.${system} = {
        default = pkgs.callPackage ./nix/package.nix { };
        hotseat = self.packages.${system}.default;
      };

      overlays.default = final: prev: { hotseat = final.callPackage ./nix/package.nix { }; };

      # imports = [ hotseat.nixosModules.default ]; services.hotseat.enable = true; ...
      # The package is built from the host's own nixpkgs (services.hotseat.package defaults to
      # pkgs.callPackage ./nix/package.nix { }), not from this flake's pin.
      nixosModules.default = ./nix/module.nix;

      checks.${system} = {
        package = self.packages.${system}.default;
        # A NixOS VM with services.hotseat: `nix build .#checks.x86_64-linux.vm-test -L`.
        vm-test = pkgs.testers.runNixOSTest (import ./nix/vm-test.nix { inherit self; });
      };

      devShells.${system}.default = pkgs.mkShell {
        inputsFrom = [ self.packages.${system}.default ];
        # What the test suites start: emulated devices, a private bus, libvirt's test driver.
        packages = with pkgs; [
          gtest
          umockdev
          dbus
          libvirt
          evemu
          gdb
        ];
      };
    };
}
