#include "testbed.h"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <umockdev.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "process.h"

namespace hotseat::test {
namespace {

// Owns a g_malloc'ed string returned by umockdev.
std::string take_gstring(gchar* s) {
    if (!s) throw std::runtime_error("umockdev returned no path");
    std::string out(s);
    g_free(s);
    return out;
}

std::vector<const gchar*> flatten(const Testbed::Pairs& pairs) {
    std::vector<const gchar*> out;
    for (const auto& [name, value] : pairs) {
        out.push_back(name.c_str());
        out.push_back(value.c_str());
    }
    out.push_back(nullptr);
    return out;
}

std::string lower_hex4(const std::string& id, const char* what) {
    bool ok = id.size() == 4 && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c); });
    if (!ok) throw std::invalid_argument(std::string(what) + " must be 4 hex digits, got '" + id + "'");
    std::string out = id;
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The kernel's PRODUCT property prints the ids without leading zeros ("46d/c52b/1200").
std::string strip_zeros(const std::string& hex) {
    auto first = hex.find_first_not_of('0');
    return first == std::string::npos ? "0" : hex.substr(first);
}

void check_name(const std::string& name, const char* what, bool allow_dash) {
    bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [&](unsigned char c) {
        return std::isalnum(c) || (allow_dash && (c == '-' || c == '_' || c == '.'));
    });
    if (!ok) throw std::invalid_argument(std::string("invalid ") + what + " '" + name + "'");
}

std::string three_digits(int n) {
    std::string s = std::to_string(n);
    return std::string(s.size() < 3 ? 3 - s.size() : 0, '0') + s;
}

}  // namespace

struct Testbed::MaskRecorder {
    std::mutex mutex;
    std::vector<EvdevMask> masks;
    bool refuse = false;
};

namespace {

void delete_shared(gpointer data) { delete static_cast<std::shared_ptr<void>*>(data); }

// One EVIOCSMASK from a reader: struct input_mask, then the bitmap it points at.
gboolean record_mask(UMockdevIoctlClient* client, Testbed::MaskRecorder& recorder) {
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    GError* error = nullptr;
    UMockdevIoctlData* mask = umockdev_ioctl_data_resolve(arg, 0, sizeof(input_mask), &error);
    if (!mask) {
        g_clear_error(&error);
        umockdev_ioctl_client_complete(client, -1, EFAULT);
        return TRUE;
    }
    input_mask m{};
    std::memcpy(&m, mask->data, sizeof m);
    Testbed::EvdevMask seen;
    seen.node = umockdev_ioctl_client_get_devnode(client);
    seen.type = m.type;
    if (m.codes_size > 0 && m.codes_size <= 4096) {
        UMockdevIoctlData* codes = umockdev_ioctl_data_resolve(mask, offsetof(input_mask, codes_ptr), m.codes_size,
                                                               &error);
        if (codes) {
            seen.bits.assign(codes->data, codes->data + codes->data_len);
            g_object_unref(codes);
        }
        g_clear_error(&error);
    }
    g_object_unref(mask);
    bool refuse;
    {
        std::lock_guard lock(recorder.mutex);
        recorder.masks.push_back(std::move(seen));
        refuse = recorder.refuse;
    }
    umockdev_ioctl_client_complete(client, refuse ? -1 : 0, refuse ? EINVAL : 0);
    return TRUE;
}

}  // namespace

// A client's own "handle-ioctl" runs before the device's ioctl tree and may answer first.
static gboolean on_client_ioctl(UMockdevIoctlClient* client, gpointer data) {
    if (umockdev_ioctl_client_get_request(client) != EVIOCSMASK) return FALSE;
    auto recorder = std::static_pointer_cast<Testbed::MaskRecorder>(*static_cast<std::shared_ptr<void>*>(data));
    return record_mask(client, *recorder);
}

static gboolean on_client_connected(GSignalInvocationHint*, guint n_values, const GValue* values, gpointer data) {
    if (n_values < 2) return TRUE;
    auto* client = static_cast<UMockdevIoctlClient*>(g_value_get_object(&values[1]));
    if (client)
        g_signal_connect_data(
            client, "handle-ioctl", G_CALLBACK(on_client_ioctl),
            new std::shared_ptr<void>(*static_cast<std::shared_ptr<void>*>(data)),
            [](gpointer d, GClosure*) { delete_shared(d); }, GConnectFlags(0));
    return TRUE;
}

std::vector<unsigned> Testbed::EvdevMask::codes() const {
    std::vector<unsigned> out;
    for (unsigned code = 0; code < bits.size() * 8; ++code)
        if (has(code)) out.push_back(code);
    return out;
}

std::vector<Testbed::EvdevMask> Testbed::evdev_masks() const {
    std::lock_guard lock(masks_->mutex);
    return masks_->masks;
}

void Testbed::refuse_evdev_masks(bool refuse) {
    std::lock_guard lock(masks_->mutex);
    masks_->refuse = refuse;
}

Testbed::Testbed() : masks_(std::make_shared<MaskRecorder>()) {
    // Every ioctl handler umockdev attaches tells of each new client: hook them all, and let
    // each client answer EVIOCSMASK before the tree is asked.
    ioctl_base_class_ = g_type_class_ref(UMOCKDEV_TYPE_IOCTL_BASE);
    guint connected = g_signal_lookup("client-connected", UMOCKDEV_TYPE_IOCTL_BASE);
    mask_hook_ = g_signal_add_emission_hook(connected, 0, on_client_connected, new std::shared_ptr<void>(masks_),
                                            delete_shared);
    testbed_ = umockdev_testbed_new();
    root_ = take_gstring(umockdev_testbed_get_root_dir(testbed_));
    // Asked only now: umockdev caches the first answer, and it depends on $UMOCKDEV_DIR.
    if (!umockdev_in_mock_environment()) {
        g_object_unref(testbed_);
        throw std::runtime_error("not running under umockdev: start with LD_PRELOAD=libumockdev-preload.so.0");
    }
}

Testbed::~Testbed() {
    g_object_unref(testbed_);
    guint connected = g_signal_lookup("client-connected", UMOCKDEV_TYPE_IOCTL_BASE);
    g_signal_remove_emission_hook(connected, mask_hook_);
    g_type_class_unref(ioctl_base_class_);
}

std::string Testbed::add_device(const std::string& subsystem, const std::string& name, const std::string& parent,
                                const Pairs& attributes, const Pairs& properties) {
    auto attrs = flatten(attributes);
    auto props = flatten(properties);
    return take_gstring(umockdev_testbed_add_devicev(
        testbed_, subsystem.c_str(), name.c_str(), parent.empty() ? nullptr : parent.c_str(),
        const_cast<gchar**>(attrs.data()), const_cast<gchar**>(props.data())));
}

void Testbed::uevent(const std::string& syspath, const std::string& action) {
    umockdev_testbed_uevent(testbed_, syspath.c_str(), action.c_str());
}

void Testbed::add_intel_igpu() {
    if (has_igpu_) throw std::logic_error("the iGPU is already in the testbed");
    std::filesystem::create_directories(root_ + "/sys/bus/pci/drivers/i915");
    add_device(
        "pci", "pci0000:00/0000:00:02.0", "",
        {{"vendor", "0x8086"}, {"device", "0x46d0"}, {"class", "0x030000"}, {"boot_vga", "1"}},
        {{"DRIVER", "i915"}, {"PCI_CLASS", "30000"}, {"PCI_ID", "8086:46D0"}, {"PCI_SLOT_NAME", "0000:00:02.0"}});
    umockdev_testbed_set_attribute_link(testbed_, pci_syspath().c_str(), "driver", "../../../bus/pci/drivers/i915");
    add_device("drm", "drm/card0", pci_syspath(), {{"dev", "226:0"}},
               {{"DEVNAME", "/dev/dri/card0"}, {"DEVTYPE", "drm_minor"}, {"MAJOR", "226"}, {"MINOR", "0"}});
    has_igpu_ = true;
    add_connector("HDMI-A-1");
}

void Testbed::set_igpu_driver(const std::string& driver) {
    require_igpu();
    std::filesystem::remove(root_ + pci_syspath() + "/driver");
    if (!driver.empty()) {
        check_name(driver, "driver name", true);
        std::filesystem::create_directories(root_ + "/sys/bus/pci/drivers/" + driver);
        umockdev_testbed_set_attribute_link(testbed_, pci_syspath().c_str(), "driver",
                                            ("../../../bus/pci/drivers/" + driver).c_str());
    }
    umockdev_testbed_set_property(testbed_, pci_syspath().c_str(), "DRIVER", driver.c_str());
    uevent(pci_syspath(), driver.empty() ? "unbind" : "bind");
}

void Testbed::require_igpu() const {
    if (!has_igpu_) throw std::logic_error("add_intel_igpu() first");
}

std::string Testbed::connector_syspath(const std::string& connector) const {
    auto it = connectors_.find(connector);
    if (it == connectors_.end()) throw std::invalid_argument("no connector " + connector);
    return it->second;
}

void Testbed::add_connector(const std::string& connector, const std::string& status) {
    require_igpu();
    check_name(connector, "connector name", true);
    if (connectors_.count(connector)) throw std::invalid_argument("connector " + connector + " exists");
    std::string syspath = add_device("drm", "card0-" + connector, card_syspath(),
                                     {{"status", status}, {"enabled", "disabled"}, {"dpms", "Off"}},
                                     {{"DEVTYPE", "drm_connector"}});
    connectors_[connector] = syspath;
}

void Testbed::set_connector_status(const std::string& connector, const std::string& status) {
    umockdev_testbed_set_attribute(testbed_, connector_syspath(connector).c_str(), "status", status.c_str());
}

void Testbed::send_hotplug() {
    require_igpu();
    // HOTPLUG=1 belongs to the uevent, not to the device: restore the uevent file afterwards so
    // later events of card0 do not carry it (umockdev sends what the file holds).
    std::string uevent_file = root_ + card_syspath() + "/uevent";
    std::string saved = read_file(uevent_file);
    umockdev_testbed_set_property(testbed_, card_syspath().c_str(), "HOTPLUG", "1");
    uevent(card_syspath(), "change");
    umockdev_testbed_set_attribute(testbed_, card_syspath().c_str(), "uevent", saved.c_str());
}

void Testbed::plug_monitor(const std::string& connector) {
    set_connector_status(connector, "connected");
    send_hotplug();
}

void Testbed::unplug_monitor(const std::string& connector) {
    set_connector_status(connector, "disconnected");
    send_hotplug();
}

void Testbed::remove_device(const std::string& syspath, bool announce) {
#if HOTSEAT_UMOCKDEV_REMOVE_SENDS_UEVENT
    // umockdev sends the `remove` itself, from the uevent file as it is now (tests/support/CMakeLists.txt).
    (void)announce;
#else
    if (announce) uevent(syspath, "remove");
#endif
    umockdev_testbed_remove_device(testbed_, syspath.c_str());
}

void Testbed::remove_connector(const std::string& connector) {
    std::string syspath = connector_syspath(connector);
    remove_device(syspath, true);
    connectors_.erase(connector);
}

std::string Testbed::usb_syspath(const std::string& vendor, const std::string& product,
                                 const std::string& serial) const {
    auto it = usb_devices_.find({lower_hex4(vendor, "vendor"), lower_hex4(product, "product"), serial});
    if (it == usb_devices_.end()) throw std::invalid_argument("no USB device " + vendor + ":" + product + " " + serial);
    return it->second;
}

std::string Testbed::add_usb_device(const std::string& vendor_id, const std::string& product_id,
                                    const std::string& serial) {
    std::string vendor = lower_hex4(vendor_id, "vendor");
    std::string product = lower_hex4(product_id, "product");
    if (!serial.empty()) check_name(serial, "serial", true);
    UsbKey key{vendor, product, serial};
    if (usb_devices_.count(key)) throw std::invalid_argument("USB device " + vendor + ":" + product + " exists");
    // Every plug gets a new port and device number, as a replug gets a new DEVNUM from the kernel.
    int n = next_usb_port_++;
    Pairs attributes = {{"idVendor", vendor},
                        {"idProduct", product},
                        {"busnum", "1"},
                        {"devnum", std::to_string(n)},
                        {"bDeviceClass", "00"}};
    Pairs properties = {{"DEVTYPE", "usb_device"},
                        {"DRIVER", "usb"},
                        {"PRODUCT", strip_zeros(vendor) + "/" + strip_zeros(product) + "/100"},
                        {"TYPE", "0/0/0"},
                        {"BUSNUM", "001"},
                        {"DEVNUM", three_digits(n)},
                        {"ID_VENDOR_ID", vendor},
                        {"ID_MODEL_ID", product},
                        {"ID_SERIAL", vendor + "_" + product + (serial.empty() ? "" : "_" + serial)}};
    if (!serial.empty()) {
        attributes.emplace_back("serial", serial);
        properties.emplace_back("ID_SERIAL_SHORT", serial);
    }
    std::string name = "pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(n);
    std::string syspath = add_device("usb", name, "", attributes, properties);
    usb_devices_[key] = syspath;
    return syspath;
}

void Testbed::remove_usb_device(const std::string& vendor, const std::string& product, const std::string& serial,
                                bool announce) {
    std::string syspath = usb_syspath(vendor, product, serial);
    if (announce) {
        // udevd's `remove` carries the kernel's properties, not the ID_* ones its rules imported
        // on `add` (measured on a real kernel: docs/testing.md). umockdev sends what the uevent
        // file holds, so those go from it first.
        std::string kept;
        std::istringstream lines(read_file(root_ + syspath + "/uevent"));
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("ID_", 0) != 0) kept += line + "\n";
        }
        umockdev_testbed_set_attribute(testbed_, syspath.c_str(), "uevent", kept.c_str());
    }
    remove_device(syspath, announce);
    usb_devices_.erase({lower_hex4(vendor, "vendor"), lower_hex4(product, "product"), serial});
}

// ---- evdev input devices ----

namespace {

// What an evdev device reports about itself, turned into the ioctl answers libevdev asks for.
struct EvdevCapabilities {
    std::vector<int> types;
    std::vector<int> keys;
    std::vector<int> rel;
    std::vector<int> msc;
    std::vector<int> leds;
    bool repeat = false;
};

EvdevCapabilities keyboard_capabilities() {
    EvdevCapabilities c;
    c.types = {EV_SYN, EV_KEY, EV_MSC, EV_LED, EV_REP};
    for (int key = KEY_ESC; key <= KEY_MICMUTE; ++key) c.keys.push_back(key);
    c.msc = {MSC_SCAN};
    c.leds = {LED_NUML, LED_CAPSL, LED_SCROLLL, LED_COMPOSE, LED_KANA};
    c.repeat = true;
    return c;
}

EvdevCapabilities mouse_capabilities() {
    EvdevCapabilities c;
    c.types = {EV_SYN, EV_KEY, EV_REL, EV_MSC};
    c.keys = {BTN_LEFT, BTN_RIGHT, BTN_MIDDLE};
    c.rel = {REL_X, REL_Y, REL_WHEEL};
    c.msc = {MSC_SCAN};
    return c;
}

using Bytes = std::vector<unsigned char>;

Bytes bitmap(std::size_t bytes, const std::vector<int>& bits) {
    Bytes out(bytes, 0);
    for (int bit : bits) out.at(static_cast<std::size_t>(bit) / 8) |= static_cast<unsigned char>(1u << (bit % 8));
    return out;
}

std::string hex(const Bytes& bytes) {
    static const char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0xF]);
    }
    return out;
}

// One answer: `request` with a buffer of bytes.size() (the size is part of the match: each size a
// client asks with needs its own line), returning `result`.
std::string answer(const std::string& request, long result, const Bytes& bytes) {
    return request + " " + std::to_string(result) + " " + hex(bytes) + "\n";
}

Bytes little_endian16(std::initializer_list<unsigned> values) {
    Bytes out;
    for (unsigned v : values) {
        out.push_back(static_cast<unsigned char>(v & 0xFF));
        out.push_back(static_cast<unsigned char>((v >> 8) & 0xFF));
    }
    return out;
}

// EVIOCGNAME/PHYS: the string in a 255-byte buffer; the kernel returns the bytes copied with NUL.
std::string string_answer(const std::string& request, const std::string& value) {
    constexpr std::size_t kBuffer = 255;
    std::string cut = value.substr(0, kBuffer - 1);
    Bytes bytes(kBuffer, 0);
    std::copy(cut.begin(), cut.end(), bytes.begin());
    return answer(request, static_cast<long>(cut.size() + 1), bytes);
}

// Every request libevdev 1.13 makes in libevdev_set_fd() and when it resyncs after SYN_DROPPED
// (and EVIOCGBIT(0) with 128 bytes, as triggerhappy asks). Bitmap answers return the kernel's
// own bitmap size in bytes (whole longs).
std::string evdev_ioctl_tree(const std::string& node, const std::string& name, const std::string& phys, unsigned vendor,
                             unsigned product, const EvdevCapabilities& caps) {
    std::string tree = "@DEV " + node + " (evdev)\n";
    tree += answer("EVIOCGVERSION", 0, little_endian16({0x0001, 0x0001}));
    tree += answer("EVIOCGID", 0, little_endian16({BUS_USB, vendor, product, 0x0110}));
    tree += string_answer("EVIOCGNAME(0)", name);
    tree += string_answer("EVIOCGPHYS(0)", phys);
    tree += answer("EVIOCGBIT(0)", 8, bitmap(8, caps.types));
    tree += answer("EVIOCGBIT(0)", 8, bitmap(128, caps.types));
    tree += answer("EVIOCGBIT(" + std::to_string(EV_KEY) + ")", 96, bitmap(96, caps.keys));
    tree += answer("EVIOCGBIT(" + std::to_string(EV_REL) + ")", 8, bitmap(8, caps.rel));
    tree += answer("EVIOCGBIT(" + std::to_string(EV_MSC) + ")", 8, bitmap(8, caps.msc));
    tree += answer("EVIOCGBIT(" + std::to_string(EV_LED) + ")", 8, bitmap(8, caps.leds));
    for (int type : {EV_ABS, EV_SW, EV_SND}) tree += answer("EVIOCGBIT(" + std::to_string(type) + ")", 8, Bytes(8, 0));
    tree += answer("EVIOCGBIT(" + std::to_string(EV_FF) + ")", 16, Bytes(16, 0));
    tree += answer("EVIOCGPROP(0)", 8, Bytes(8, 0));
    tree += answer("EVIOCGKEY(0)", 96, Bytes(96, 0));
    tree += answer("EVIOCGLED(0)", 8, Bytes(8, 0));
    tree += answer("EVIOCGSW(0)", 8, Bytes(8, 0));
    if (caps.repeat) tree += answer("EVIOCGREP", 0, Bytes{0xFA, 0, 0, 0, 0x21, 0, 0, 0});  // 250 ms, 33 ms
    return tree;
}

unsigned hex_id_or_zero(const std::map<std::string, std::string>& properties, const std::string& name) {
    auto it = properties.find(name);
    if (it == properties.end() || it->second.size() != 4) return 0;
    try {
        return static_cast<unsigned>(std::stoul(it->second, nullptr, 16));
    } catch (const std::exception&) {
        return 0;
    }
}

// The .umockdev text format is line based UTF-8: a value must not break the line. (What the
// kernel reports through EVIOCGNAME stays raw; this is only the udev side.)
std::string one_line(const std::string& value) {
    gchar* valid = g_utf8_make_valid(value.data(), static_cast<gssize>(value.size()));
    std::string out(valid);
    g_free(valid);
    std::replace_if(
        out.begin(), out.end(), [](unsigned char c) { return c < 0x20; }, '?');
    return out;
}

void check_property_name(const std::string& name) {
    bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isupper(c) || std::isdigit(c) || c == '_';
    });
    if (!ok) throw std::invalid_argument("invalid udev property name '" + name + "'");
}

std::string device_text(const std::string& syspath, const std::string& node_line,
                        const std::map<std::string, std::string>& properties, const Testbed::Pairs& attributes) {
    std::string text = "P: " + syspath.substr(std::string("/sys").size()) + "\n";
    if (!node_line.empty()) text += "N: " + node_line + "\n";
    for (const auto& [name, value] : properties) text += "E: " + name + "=" + one_line(value) + "\n";
    for (const auto& [name, value] : attributes) text += "A: " + name + "=" + one_line(value) + "\n";
    return text + "\n";
}

void add_from_string(UMockdevTestbed* testbed, const std::string& text) {
    GError* error = nullptr;
    if (!umockdev_testbed_add_from_string(testbed, text.c_str(), &error)) {
        std::string message = error ? error->message : "unknown error";
        g_clear_error(&error);
        throw std::runtime_error("umockdev_testbed_add_from_string: " + message);
    }
}

}  // namespace

Testbed::HeldFds::~HeldFds() {
    for (int fd : fds) ::close(fd);
}

std::string Testbed::input_node(int node_number) { return "/dev/input/event" + std::to_string(node_number); }

const Testbed::InputDeviceEntry& Testbed::input_device(int node_number) const {
    auto it = input_devices_.find(node_number);
    if (it == input_devices_.end()) throw std::invalid_argument("no input device " + input_node(node_number));
    return it->second;
}

std::string Testbed::add_keyboard(int node_number, const std::string& name, const Pairs& properties) {
    return add_input_device(node_number, name, InputKind::Keyboard, properties);
}

std::string Testbed::add_mouse(int node_number, const std::string& name) {
    return add_input_device(node_number, name, InputKind::Mouse, {});
}

std::string Testbed::add_input_device(int node_number, const std::string& name, InputKind kind,
                                      const Pairs& extra_properties) {
    if (node_number < 0 || node_number > 1023) throw std::invalid_argument("input node number out of range");
    if (used_input_numbers_.count(node_number))
        throw std::logic_error(input_node(node_number) + " was used before in this testbed (umockdev keeps its pty)");
    if (name.empty() || name.find('\0') != std::string::npos) throw std::invalid_argument("invalid device name");
    const std::string n = std::to_string(node_number);
    const std::string node = input_node(node_number);
    const std::string parent = "/sys/devices/virtual/input/input" + n;
    const std::string syspath = parent + "/event" + n;
    const std::string minor = std::to_string(64 + node_number);
    const bool keyboard = kind == InputKind::Keyboard;

    std::map<std::string, std::string> properties = {{"SUBSYSTEM", "input"},
                                                     {"DEVNAME", node},
                                                     {"MAJOR", "13"},
                                                     {"MINOR", minor},
                                                     {"ID_INPUT", "1"},
                                                     {"ID_BUS", "usb"},
                                                     {"ID_PATH", "pci-0000:00:14.0-usb-0:" + n + ":1.0"}};
    if (keyboard) {
        properties["ID_INPUT_KEY"] = "1";
        properties["ID_INPUT_KEYBOARD"] = "1";
    } else {
        properties["ID_INPUT_MOUSE"] = "1";
    }
    for (const auto& [key, value] : extra_properties) {
        check_property_name(key);
        properties[key] = value;
    }
    std::map<std::string, std::string> parent_properties = properties;
    for (const char* own : {"DEVNAME", "MAJOR", "MINOR"}) parent_properties.erase(own);
    const std::string phys = "usb-0000:00:14.0-" + n + "/input0";
    parent_properties["NAME"] = "\"" + name + "\"";
    parent_properties["PHYS"] = "\"" + phys + "\"";

    // The ioctl answers first: whoever reacts to the `add` uevent may open the node right away.
    std::filesystem::create_directories(root_ + "/hotseat-ioctl");
    const std::string tree_file = root_ + "/hotseat-ioctl/event" + n + ".ioctl";
    auto caps = keyboard ? keyboard_capabilities() : mouse_capabilities();
    write_file(tree_file, evdev_ioctl_tree(node, name, phys, hex_id_or_zero(properties, "ID_VENDOR_ID"),
                                           hex_id_or_zero(properties, "ID_MODEL_ID"), caps));
    GError* error = nullptr;
    if (!umockdev_testbed_load_ioctl(testbed_, node.c_str(), tree_file.c_str(), &error)) {
        std::string message = error ? error->message : "unknown error";
        g_clear_error(&error);
        throw std::runtime_error("umockdev_testbed_load_ioctl: " + message);
    }
    used_input_numbers_.insert(node_number);
    add_from_string(testbed_,
                    device_text(parent, "", parent_properties, {{"name", name}, {"phys", phys}, {"properties", "0"}}));
    add_from_string(testbed_, device_text(syspath, "input/event" + n, properties, {{"dev", "13:" + minor}}));
    input_devices_[node_number] = InputDeviceEntry{parent, syspath};
    return syspath;
}

void Testbed::write_input_events(int node_number, const std::vector<InputEvent>& events) {
    input_device(node_number);
    std::vector<input_event> raw(events.size());
    timeval now{};
    gettimeofday(&now, nullptr);
    for (std::size_t i = 0; i < events.size(); ++i) {
        raw[i].input_event_sec = now.tv_sec;
        raw[i].input_event_usec = now.tv_usec;
        raw[i].type = events[i].type;
        raw[i].code = events[i].code;
        raw[i].value = events[i].value;
    }
    int fd = umockdev_testbed_get_dev_fd(testbed_, input_node(node_number).c_str());
    if (fd < 0) throw std::runtime_error("no umockdev pty for " + input_node(node_number));
    const std::size_t bytes = raw.size() * sizeof(input_event);
    ssize_t written = ::write(fd, raw.data(), bytes);
    if (written < 0) throw std::system_error(errno, std::generic_category(), "write to " + input_node(node_number));
    if (static_cast<std::size_t>(written) != bytes)
        throw std::runtime_error("short write to " + input_node(node_number));
}

void Testbed::press_key(int node_number, std::uint16_t code, std::int32_t value) {
    write_input_events(node_number, {{EV_KEY, code, value}, {EV_SYN, SYN_REPORT, 0}});
}

void Testbed::remove_keyboard(int node_number) {
    InputDeviceEntry entry = input_device(node_number);
    remove_device(entry.syspath, true);
    remove_device(entry.parent_syspath, true);
    input_devices_.erase(node_number);
}

void Testbed::hang_up_input_device(int node_number) {
    input_device(node_number);
    int master = umockdev_testbed_get_dev_fd(testbed_, input_node(node_number).c_str());
    if (master < 0) throw std::runtime_error("no umockdev pty for " + input_node(node_number));
    // Keep one end of the pty: its number stays taken, so umockdev never hands it out again
    // (its pty map would then collide).
    int peer = ::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (peer < 0) throw std::system_error(errno, std::generic_category(), "TIOCGPTPEER");
    held_pty_peers_.fds.push_back(peer);
    // Closing the master hangs the pty up. umockdev closes this fd number itself later, so it
    // is replaced by /dev/null rather than closed.
    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) throw std::system_error(errno, std::generic_category(), "open /dev/null");
    int r = ::dup3(null_fd, master, O_CLOEXEC);
    int error = errno;
    ::close(null_fd);
    if (r < 0) throw std::system_error(error, std::generic_category(), "dup3");
}

void Testbed::set_input_node_mode(int node_number, unsigned mode) {
    input_device(node_number);
    // The testbed's node is a link to the pty; chmod follows it to the pty itself.
    std::string path = root_ + input_node(node_number);
    if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0)
        throw std::system_error(errno, std::generic_category(), "chmod " + path);
}

}  // namespace hotseat::test
