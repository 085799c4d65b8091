// libxml2's handles in handles.h's vocabulary, for what parses XML itself (the hook, hotseatctl's
// doctor); not part of handles.h, since the daemon's adapters link no libxml2.
#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>

#include "util/handle.h"

namespace hotseat::util {

using XmlDoc = Handle<xmlDoc, xmlFreeDoc>;

// A string libxml2 allocated for the caller (xmlGetProp, xmlNodeGetContent). xmlFree is a
// function pointer libxml2 lets a program replace (xmlMemSetup), so it is called when the string
// is freed, not taken as a template argument.
struct FreeXmlString {
    void operator()(xmlChar* p) const { xmlFree(p); }
};
using XmlString = std::unique_ptr<xmlChar, FreeXmlString>;

// Its text: "" for none.
inline std::string to_string(const XmlString& s) { return s ? reinterpret_cast<const char*>(s.get()) : ""; }

}  // namespace hotseat::util
