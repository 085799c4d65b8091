# Just enough of nixpkgs' `pkgs` for nix/module.nix, nix/package.nix and flake.nix: packages are
# records with a store-like outPath, writeTextDir keeps its text, and formats.toml renders TOML
# in Nix (the real one runs remarshal in a build; hotseatd reads either the same way).
let
  lib = import ./stub-lib.nix;

  package = name: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };

  # --- TOML rendering -------------------------------------------------------------------------
  isBareKey = key: builtins.match "[A-Za-z0-9_-]+" key != null;
  renderKey = key: if isBareKey key then key else builtins.toJSON key;
  isTableList = value: builtins.isList value && value != [ ] && builtins.all builtins.isAttrs value;

  # JSON string escapes (\" \\ \n \t \uXXXX) are valid in TOML basic strings.
  renderValue =
    value:
    if builtins.isString value then
      builtins.toJSON value
    else if builtins.isBool value then
      (if value then "true" else "false")
    else if builtins.isInt value then
      toString value
    else if builtins.isList value then
      "[" + builtins.concatStringsSep ", " (map renderValue value) + "]"
    else if builtins.isAttrs value then
      "{ " + builtins.concatStringsSep ", " (renderPairs value) + " }"
    else
      throw "stub formats.toml: cannot render a ${builtins.typeOf value}";

  renderPairs =
    table: map (key: "${renderKey key} = ${renderValue table.${key}}") (builtins.attrNames table);
  renderLines = table: builtins.concatStringsSep "" (map (line: line + "\n") (renderPairs table));

  # Top level: plain keys first, then [tables], then [[arrays of tables]].
  renderDocument =
    document:
    let
      keys = builtins.attrNames document;
      pick = keep: builtins.filter (key: keep document.${key}) keys;
      tables = pick builtins.isAttrs;
      tableLists = pick isTableList;
      section = key: "\n[${renderKey key}]\n" + renderLines document.${key};
      entries = key: map (entry: "\n[[${renderKey key}]]\n" + renderLines entry) document.${key};
    in
    renderLines (removeAttrs document (tables ++ tableLists))
    + builtins.concatStringsSep "" (map section tables)
    + builtins.concatStringsSep "" (builtins.concatMap entries tableLists);

  self = {
    inherit lib;
    system = "x86_64-linux";
    stdenv = {
      hostPlatform.system = "x86_64-linux";
      mkDerivation = attrs: attrs // { type = "derivation"; stubbed = "mkDerivation"; };
    };

    formats.toml = { }: {
      type = { name = "tomlValue"; };
      generate = name: value: package name // { text = renderDocument value; };
    };

    writeTextDir = path: text: package (baseNameOf path) // { inherit path text; };

    # The build script is kept to be looked at; nothing runs.
    runCommand =
      name: env: buildCommand:
      package name // env // { inherit buildCommand; stubbed = "runCommand"; };

    # The test as runNixOSTest gets it (name, nodes, testScript), to be looked at.
    testers.runNixOSTest = test: test // { stubbed = "runNixOSTest"; };

    callPackage =
      file: overrides:
      let
        function = import file;
      in
      function (builtins.intersectAttrs (builtins.functionArgs function) self // overrides);

    mkShell = attrs: attrs // { stubbed = "mkShell"; };
  }
  // builtins.listToAttrs (
    map (name: { inherit name; value = package name; }) [
      "cmake" "ninja" "pkg-config" "tomlplusplus" "libvirt" "systemd" "libevdev"
      "cli11" "gtest" "libxml2" "nlohmann_json" "acl" "coreutils" "umockdev" "dbus" "evemu" "gdb"
    ]
  )
  // {
    sdbus-cpp = package "sdbus-cpp" // { version = "1.5.0"; };
    sdbus-cpp_2 = package "sdbus-cpp_2" // { version = "2.1.0"; };
  };
in
self
