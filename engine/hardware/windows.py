"""Windows display adapters through DXGI (ctypes): name, PCI ids, dedicated video memory.

DXGI's `DedicatedVideoMemory` is a size_t, so 8 GB cards read 8 GB; WMI's `AdapterRAM` is a
32-bit field that wraps at 4 GB and is not used. On other systems `read_dxgi()` returns [].
"""

from __future__ import annotations

import ctypes
import sys

from engine.hardware.records import RawDevice

_DXGI_ADAPTER_FLAG_SOFTWARE = 2
_IID_IDXGIFactory1 = "{770aae78-f26f-4dba-a829-253c83d1b387}"
_ENUM_ADAPTERS1, _RELEASE, _GET_DESC1 = 12, 2, 10


def _structs() -> tuple[type, type]:
    from ctypes import wintypes

    class LUID(ctypes.Structure):
        _fields_ = [("LowPart", wintypes.DWORD), ("HighPart", wintypes.LONG)]

    class DXGI_ADAPTER_DESC1(ctypes.Structure):
        _fields_ = [
            ("Description", wintypes.WCHAR * 128),
            ("VendorId", wintypes.UINT),
            ("DeviceId", wintypes.UINT),
            ("SubSysId", wintypes.UINT),
            ("Revision", wintypes.UINT),
            ("DedicatedVideoMemory", ctypes.c_size_t),
            ("DedicatedSystemMemory", ctypes.c_size_t),
            ("SharedSystemMemory", ctypes.c_size_t),
            ("AdapterLuid", LUID),
            ("Flags", wintypes.UINT),
        ]

    return LUID, DXGI_ADAPTER_DESC1


def _method(obj: ctypes.c_void_p, index: int, *argtypes: type) -> ctypes._CFuncPtr:
    """COM call through the vtable: slot `index` of the object's first pointer."""
    vtable = ctypes.cast(obj, ctypes.POINTER(ctypes.POINTER(ctypes.c_void_p))).contents
    proto = ctypes.WINFUNCTYPE(ctypes.c_long, ctypes.c_void_p, *argtypes)  # type: ignore[attr-defined]
    return proto(vtable[index])


def read_dxgi() -> list[RawDevice]:
    """Hardware adapters from `IDXGIFactory1::EnumAdapters1`; [] off Windows or on failure."""
    if sys.platform != "win32":
        return []
    try:
        return _enumerate()
    except Exception as exc:  # a broken driver stack must not stop start-up
        return [RawDevice(source="dxgi", name="", device_type="other", notes=(f"DXGI: {exc}",))]


def _enumerate() -> list[RawDevice]:
    import uuid

    _luid, desc_type = _structs()
    iid = (ctypes.c_byte * 16).from_buffer_copy(uuid.UUID(_IID_IDXGIFactory1).bytes_le)
    factory = ctypes.c_void_p()
    hr = ctypes.windll.dxgi.CreateDXGIFactory1(ctypes.byref(iid), ctypes.byref(factory))  # type: ignore[attr-defined]
    if hr != 0 or not factory:
        return []
    found: list[RawDevice] = []
    try:
        index = 0
        while True:
            adapter = ctypes.c_void_p()
            enum = _method(factory, _ENUM_ADAPTERS1, ctypes.c_uint, ctypes.POINTER(ctypes.c_void_p))
            if enum(factory, index, ctypes.byref(adapter)) != 0:
                break  # DXGI_ERROR_NOT_FOUND: no more adapters
            index += 1
            desc = desc_type()
            get_desc = _method(adapter, _GET_DESC1, ctypes.POINTER(desc_type))
            ok = get_desc(adapter, ctypes.byref(desc)) == 0
            _method(adapter, _RELEASE)(adapter)
            if not ok or desc.Flags & _DXGI_ADAPTER_FLAG_SOFTWARE:
                continue
            found.append(
                RawDevice(
                    source="dxgi",
                    name=desc.Description.strip(),
                    vendor_id=desc.VendorId,
                    device_id=desc.DeviceId,
                    global_mem_bytes=int(desc.DedicatedVideoMemory) or None,
                    driver="WDDM",
                )
            )
    finally:
        _method(factory, _RELEASE)(factory)
    return found
