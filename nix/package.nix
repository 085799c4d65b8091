# hotseat: hotseatd, hotseatctl, hotseat-hook, the systemd unit, udev rules, bus policy and man
# pages. `pkgs.callPackage ./package.nix { }`; the flake exposes it as packages.<system>.default.
{
  lib,
  stdenv,
  cmake,
  ninja,
  pkg-config,
  sdbus-cpp,
  # sdbus-c++ 2.x where nixpkgs has it (the current upstream line); 1.x (sdbus-cpp) otherwise.
  sdbus-cpp_2 ? null,
  tomlplusplus,
  libvirt,
  systemd,
  libevdev,
  cli11,
  gtest,
  libxml2,
  nlohmann_json,
  acl,
  coreutils,
  doCheck ? false,
}:

let
  sdbus = if sdbus-cpp_2 != null then sdbus-cpp_2 else sdbus-cpp;
in
stdenv.mkDerivation {
  pname = "hotseat";
  version = "0.1.0";

  # The repository minus build trees and VCS metadata.
  src = lib.cleanSourceWith {
    src = lib.cleanSource ../.;
    filter = path: type: !(type == "directory" && lib.hasPrefix "build" (baseNameOf path));
  };

  nativeBuildInputs = [
    cmake
    ninja
    pkg-config
    sdbus # sdbus-c++-xml2cpp generates the D-Bus glue at build time
  ];

  buildInputs = [
    sdbus
    tomlplusplus
    libvirt
    systemd # libsystemd (sd-event, sd-bus, sd-daemon) and libudev
    libevdev
    cli11
    libxml2 # hotseat-hook parses the domain XML
    nlohmann_json # hotseatctl --json
  ];

  # The test suites need umockdev, a dbus-daemon and libvirt's test driver at run time; the
  # package builds without them and CI runs them on Debian (scripts/test).
  inherit doCheck;
  checkInputs = [ gtest ];

  cmakeFlags = [
    "-DHOTSEAT_BUILD_TESTS=${if doCheck then "ON" else "OFF"}"
    # The major version of the sdbus-c++ given, never the other one (docs/building.md).
    "-DHOTSEAT_SDBUS_MAJOR=${lib.versions.major sdbus.version}"
    # A newer compiler's new warning must not fail the package; CI builds with warnings as errors.
    "-DCMAKE_COMPILE_WARNING_AS_ERROR=OFF"
    # /etc/hotseat/hotseat.toml comes from services.hotseat.settings (nix/module.nix).
    "-DHOTSEAT_INSTALL_ETC_CONFIG=OFF"
  ];

  # Paths that only exist on FHS systems. NixOS refuses udev rules whose RUN+= program does not
  # exist, and has no /bin/kill.
  postInstall = ''
    substituteInPlace $out/lib/udev/rules.d/70-hotseat.rules \
      --replace-fail /usr/bin/setfacl ${acl}/bin/setfacl
    substituteInPlace $out/lib/systemd/system/hotseatd.service \
      --replace-fail /bin/kill ${coreutils}/bin/kill
  '';

  meta = {
    description = "A desk on demand: boots a desktop VM with GPU and USB passthrough when a monitor or keyboard is plugged in";
    platforms = lib.platforms.linux;
    mainProgram = "hotseatctl";
  };
}
