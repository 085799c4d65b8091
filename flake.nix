{
  description = "hotseat: a desk on demand. Boots a desktop VM with GPU and USB passthrough when a monitor or keyboard is plugged in";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";

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
      nixosModules.default =
        { lib, pkgs, ... }:
        {
          imports = [ ./nix/module.nix ];
          services.hotseat.package = lib.mkDefault self.packages.${pkgs.stdenv.hostPlatform.system}.default;
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
