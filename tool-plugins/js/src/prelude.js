/*
 * Array methods that call back into JavaScript, written in JavaScript. Duktape's own are native, and each call of a
 * callback from native code enters the bytecode executor anew, which sets a setjmp catchpoint; in WebAssembly our
 * setjmp unwinds and rewinds the whole stack (decision 0025), ~0.2 ms a callback. Called from here, a callback is an
 * ECMAScript-to-ECMAScript call, which Duktape runs inside the same executor. ES5.1 15.4.4.
 */
(function () {
    var AP = Array.prototype, nativeSort = AP.sort;
    function define(name, fn) {
        Object.defineProperty(AP, name, {value: fn, writable: true, enumerable: false, configurable: true});
    }
    function callable(fn, what) {
        if (typeof fn !== 'function') {
            throw new TypeError(what + ': ' + (fn === null ? 'null' : typeof fn) + ' is not a function');
        }
    }
    function len(o) {
        return o.length >>> 0;
    }
    define('forEach', function forEach(callbackfn) {
        var o = Object(this), n = len(o), t = arguments[1];
        callable(callbackfn, 'Array.prototype.forEach');
        for (var k = 0; k < n; k++) {
            if (k in o) callbackfn.call(t, o[k], k, o);
        }
    });
    define('map', function map(callbackfn) {
        var o = Object(this), n = len(o), t = arguments[1];
        callable(callbackfn, 'Array.prototype.map');
        var a = new Array(n);
        for (var k = 0; k < n; k++) {
            if (k in o) a[k] = callbackfn.call(t, o[k], k, o);
        }
        return a;
    });
    define('filter', function filter(callbackfn) {
        var o = Object(this), n = len(o), t = arguments[1];
        callable(callbackfn, 'Array.prototype.filter');
        var a = [];
        for (var k = 0; k < n; k++) {
            if (k in o) {
                var v = o[k];
                if (callbackfn.call(t, v, k, o)) a.push(v);
            }
        }
        return a;
    });
    define('some', function some(callbackfn) {
        var o = Object(this), n = len(o), t = arguments[1];
        callable(callbackfn, 'Array.prototype.some');
        for (var k = 0; k < n; k++) {
            if (k in o && callbackfn.call(t, o[k], k, o)) return true;
        }
        return false;
    });
    define('every', function every(callbackfn) {
        var o = Object(this), n = len(o), t = arguments[1];
        callable(callbackfn, 'Array.prototype.every');
        for (var k = 0; k < n; k++) {
            if (k in o && !callbackfn.call(t, o[k], k, o)) return false;
        }
        return true;
    });
    function reducer(name, step) {
        return function (callbackfn) {
            var o = Object(this), n = len(o), k = step > 0 ? 0 : n - 1, end = step > 0 ? n : -1, acc;
            callable(callbackfn, 'Array.prototype.' + name);
            if (arguments.length > 1) {
                acc = arguments[1];
            } else {
                while (k !== end && !(k in o)) k += step;
                if (k === end) throw new TypeError('Array.prototype.' + name + ' of an empty array with no initial value');
                acc = o[k];
                k += step;
            }
            for (; k !== end; k += step) {
                if (k in o) acc = callbackfn(acc, o[k], k, o);
            }
            return acc;
        };
    }
    define('reduce', reducer('reduce', 1));
    define('reduceRight', reducer('reduceRight', -1));
    /* A stable merge sort when there is a comparator; without one the native sort calls no JavaScript. */
    define('sort', function sort(comparefn) {
        if (comparefn === undefined) return nativeSort.call(this);
        callable(comparefn, 'Array.prototype.sort');
        var o = Object(this), n = len(o), values = [], undefineds = 0, k;
        for (k = 0; k < n; k++) {
            if (k in o) {
                if (o[k] === undefined) undefineds++; else values.push(o[k]);
            }
        }
        var a = values, b = new Array(a.length), m = a.length;
        for (var width = 1; width < m; width *= 2) {
            for (var lo = 0; lo < m; lo += 2 * width) {
                var mid = Math.min(lo + width, m), hi = Math.min(lo + 2 * width, m), i = lo, j = mid, out = lo;
                while (i < mid && j < hi) b[out++] = +comparefn(a[j], a[i]) < 0 ? a[j++] : a[i++];
                while (i < mid) b[out++] = a[i++];
                while (j < hi) b[out++] = a[j++];
            }
            var swap = a; a = b; b = swap;
        }
        for (k = 0; k < m; k++) o[k] = a[k];
        for (; k < m + undefineds; k++) o[k] = undefined;
        for (; k < n; k++) delete o[k];
        return o;
    });
})();
